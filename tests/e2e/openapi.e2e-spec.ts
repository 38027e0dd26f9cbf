import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, REPO_ROOT } from '@tally/testing';
import { GATEWAY_URL } from '../stack-env';

/**
 * Every path and method of the api-v1 contract (docs/api-conventions.md), as it lists them. A path parameter is
 * written {…} and compared by position only (its name is not on the wire).
 */
const CONTRACT: string[] = [
  // Identity
  'POST /v1/auth/register',
  'POST /v1/auth/login',
  'POST /v1/auth/refresh',
  'POST /v1/auth/logout',
  'GET /v1/me',
  'GET /v1/me/sessions',
  'DELETE /v1/me/sessions/{id}',
  'POST /v1/me/api-keys',
  'GET /v1/me/api-keys',
  'DELETE /v1/me/api-keys/{id}',
  'POST /v1/auth/verify-email',
  'POST /v1/auth/forgot-password',
  'POST /v1/auth/reset-password',
  // Wallets
  'POST /v1/wallets',
  'GET /v1/wallets',
  'GET /v1/wallets/{id}',
  'GET /v1/wallets/{id}/balance',
  'PUT /v1/wallets/{id}/pin',
  'POST /v1/wallets/{id}/deposits',
  'POST /v1/wallets/{id}/withdrawals',
  // Money movement
  'POST /v1/transfers',
  'POST /v1/payments',
  'POST /v1/transactions/{id}/refunds',
  'GET /v1/transactions',
  'GET /v1/transactions/{id}',
  // Analytics
  'GET /v1/me/summary',
  'GET /v1/analytics/spending',
  // Notifications
  'GET /v1/me/notifications',
  'POST /v1/me/notifications/{id}/read',
  'GET /v1/me/notification-preferences',
  'PUT /v1/me/notification-preferences',
  'POST /v1/me/webhooks',
  'GET /v1/me/webhooks',
  'DELETE /v1/me/webhooks/{id}',
  // Budgets and goals
  'POST /v1/budgets',
  'GET /v1/budgets',
  'GET /v1/budgets/{id}/progress',
  'POST /v1/goals',
  'GET /v1/goals',
  'POST /v1/goals/{id}/contributions',
  // Admin
  'GET /v1/admin/fraud/reviews',
  'POST /v1/admin/fraud/reviews/{transactionId}/approve',
  'POST /v1/admin/fraud/reviews/{transactionId}/reject',
  'GET /v1/admin/ledger/trial-balance',
  'GET /v1/admin/users',
  'POST /v1/admin/users/{id}/suspend',
  'POST /v1/admin/users/{id}/activate',
  'POST /v1/admin/users/{id}/roles',
  // Admin, contract v1.1 (issue 12)
  'GET /v1/admin/analytics',
  'GET /v1/admin/transactions',
  'GET /v1/admin/transactions/{id}',
  'GET /v1/admin/users/{id}',
  'GET /v1/admin/audit-logs',
  'POST /v1/admin/imports',
  'GET /v1/admin/imports',
  'GET /v1/admin/imports/{id}',
  // Utility and operations
  'GET /v1/currencies',
  'GET /v1/transaction-types',
  'GET /v1/wallet-statuses',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
];

const normalize = (route: string) => route.replace(/\{[^}]+\}/g, '{}');

describe('the OpenAPI document the gateway serves', () => {
  const api = new ApiClient(GATEWAY_URL);
  let document: any;
  let served: Set<string>;

  beforeAll(async () => {
    const res = await api.get('/docs-json');
    expect(res.status).toBe(200);
    document = res.body;
    served = new Set(
      Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))
          .map((m) => normalize(`${m.toUpperCase()} ${path}`)),
      ),
    );
  });

  it('is OpenAPI 3 for Tally v1', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Tally API', version: 'v1' });
  });

  it('covers every path and method of api-v1.md', () => {
    const missing = CONTRACT.filter((r) => !served.has(normalize(r)));
    expect(missing).toEqual([]);
  });

  it('declares bearer and X-API-Key security schemes; protected routes name bearer', () => {
    expect(document.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
    expect(document.paths['/v1/wallets'].post.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/v1/currencies'].get.security).toBeUndefined();
  });

  it('every protected operation declares its security, read from the guards: bearer, and X-API-Key with its scope where accepted', () => {
    // The only operations anyone may call without credentials.
    const PUBLIC = [
      'POST /v1/auth/register',
      'POST /v1/auth/login',
      'POST /v1/auth/refresh',
      'POST /v1/auth/verify-email',
      'POST /v1/auth/forgot-password',
      'POST /v1/auth/reset-password',
      'GET /v1/currencies',
      'GET /v1/transaction-types',
      'GET /v1/wallet-statuses',
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
    ];
    const open: string[] = [];
    const scopes = new Set<string>();
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, { security?: Record<string, string[]>[] }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        const security = operation.security ?? [];
        if (security.length === 0) {
          open.push(name);
          continue;
        }
        expect({ name, first: security[0] }).toEqual({ name, first: { bearer: [] } });
        for (const requirement of security.slice(1)) {
          expect({ name, schemes: Object.keys(requirement) }).toEqual({ name, schemes: ['apiKey'] });
          expect({ name, scopes: requirement.apiKey.length }).toEqual({ name, scopes: 1 });
          scopes.add(requirement.apiKey[0]);
        }
      }
    }
    expect(open.sort()).toEqual([...PUBLIC].sort());
    expect(document.paths['/v1/transactions'].get.security).toEqual([{ bearer: [] }, { apiKey: ['transactions:read'] }]);
    expect(document.paths['/v1/admin/users'].get.security).toEqual([{ bearer: [] }]);
    expect([...scopes].every((s) => /^[a-z]+:(read|write)$/.test(s))).toBe(true);
  });

  it('has the api-v1 error body as a schema, answered by every operation for 429 and 503', () => {
    expect(document.components.schemas.ApiError).toMatchObject({
      required: ['error', 'message', 'timestamp', 'path', 'requestId'],
      properties: { error: { enum: expect.arrayContaining(['RATE_LIMITED', 'IDEMPOTENCY_KEY_REUSED', 'SERVICE_UNAVAILABLE']) } },
    });
    const errorRef = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } };
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        expect({ route: `${method} ${path}`, r429: operation.responses['429'], r503: operation.responses['503'] }).toMatchObject({
          r429: errorRef,
          r503: errorRef,
        });
      }
    }
    expect(document.paths['/v1/wallets/{id}'].get.responses['404']).toMatchObject(errorRef);
    expect(document.paths['/v1/admin/ledger/trial-balance'].get.responses['403']).toMatchObject(errorRef);
  });

  it('documents Idempotency-Key on every POST that answers 201: required, optional only on registration', () => {
    const creating = Object.entries(
      document.paths as Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string; in: string; required?: boolean }[] }>>,
    )
      .filter(([, ops]) => ops.post?.responses['201'])
      .map(([path, ops]) => [path, ops.post.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key')?.required ?? 'missing'] as const);
    expect(creating.length).toBeGreaterThan(10);
    expect(creating.filter(([path]) => path !== '/v1/auth/register').filter(([, required]) => required !== true)).toEqual([]);
    expect(Object.fromEntries(creating)['/v1/auth/register']).toBe(false);
  });

  it('gives a DTO that only extends another the rules of its parent (WithdrawalDto), and lists each header once (PUT pin)', () => {
    expect(document.components.schemas.WithdrawalDto).toMatchObject({
      required: ['amount', 'pin'],
      properties: { amount: expect.any(Object), pin: { pattern: '^\\d{4,6}$' }, description: { maxLength: 500 } },
    });
    // Every request body schema describes its fields (an empty one gives a client, and the fuzz, nothing to send).
    const bodies = new Set<string>();
    const twice: string[] = [];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const ref: string | undefined = operation.requestBody?.content?.['application/json']?.schema?.$ref;
        if (ref) bodies.add(ref.split('/').pop() as string);
        const headers = (operation.parameters ?? []).filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name.toLowerCase());
        if (new Set(headers).size !== headers.length) twice.push(`${method.toUpperCase()} ${path}`);
      }
    }
    const empty = [...bodies].filter((name) => Object.keys(document.components.schemas[name].properties ?? {}).length === 0);
    expect({ empty, twice }).toEqual({ empty: [], twice: [] });
    const pin = document.paths['/v1/wallets/{id}/pin'].put.parameters.filter((p: { in: string }) => p.in === 'header');
    expect(pin).toEqual([expect.objectContaining({ name: 'Idempotency-Key', required: false })]);
  });

  it('has request schemas from the DTOs and answer schemas for the routes', () => {
    const deposit = document.paths['/v1/wallets/{id}/deposits'].post;
    expect(deposit.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DepositDto' });
    expect(document.components.schemas.DepositDto).toMatchObject({ required: ['amount'], properties: { description: { maxLength: 500 } } });
    expect(deposit.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
    expect(deposit.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Transaction' });
    expect(deposit.responses['409']).toBeDefined();
    expect(document.components.schemas.TransferDto.required).toEqual(expect.arrayContaining(['fromWalletId', 'toWalletNumber', 'amount', 'pin']));
    expect(document.paths['/v1/transfers'].post.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Transaction' });
    expect(document.components.schemas.Wallet.required).toEqual(expect.arrayContaining(['id', 'walletNumber', 'balance', 'available', 'status']));
    // Every $ref points at a schema that exists.
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.filter((name) => !document.components.schemas[name])).toEqual([]);
    // Every success answer of a /v1 route names its schema, except the 204s.
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, operation] of Object.entries(item)) {
        const ok = Object.entries(operation.responses as Record<string, any>).filter(([status]) => status.startsWith('2'));
        expect({ route: `${method} ${path}`, answers: ok.length > 0 }).toEqual({ route: `${method} ${path}`, answers: true });
        for (const [status, answer] of ok) {
          if (status !== '204')
            expect({ route: `${method} ${path}`, schema: answer.content?.['application/json']?.schema?.$ref }).toEqual({
              route: `${method} ${path}`,
              schema: expect.any(String),
            });
        }
      }
    }
  });

  it('is the document checked in as docs/api/openapi.json (npm run docs writes it; the SDK and the API reference come from it)', () => {
    const checkedIn = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/api/openapi.json'), 'utf8'));
    expect(document).toEqual(checkedIn);
  });

  it('serves the event catalogue (AsyncAPI 3, from libs/contracts) at /docs/events, outside the REST document', async () => {
    const res = await api.get('/docs/events');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(readFileSync(join(REPO_ROOT, 'docs/events/asyncapi.json'), 'utf8')));
    expect(res.body).toMatchObject({ asyncapi: '3.0.0', channels: { ledgerEvents: { address: 'ledger.events' } } });
    expect(Object.keys(document.paths).filter((p) => p.startsWith('/docs'))).toEqual([]);
  });

  it('gives every operation a summary and an example (of its body, its answer or its parameters)', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const examples = JSON.stringify([operation.requestBody, operation.parameters, Object.entries(operation.responses).filter(([s]) => s.startsWith('2'))]);
        // Only POST /v1/auth/logout takes nothing and answers 204 without a body: nothing to show.
        const nothingToShow = !operation.requestBody && !(operation.parameters ?? []).length && Object.keys(operation.responses).includes('204');
        if (!operation.summary || (!examples.includes('"example"') && !nothingToShow)) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await fetch(`${GATEWAY_URL}/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});
