import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { ApiClient, ledgerBookProblems, REPO_ROOT, reserveTotpCode, serviceDatabaseEnv, waitFor } from '@tally/testing';
import { GATEWAY_URL, TEST_DATABASE_URL } from '../stack-env';
import { FuzzContext, FuzzRequest, OpenApiDocument, Operation, operationsOf, requestArbitrary, resolve } from './fuzz/request-arbitraries';
import { enrolTotp, logInAdmin, signInWithTotp, signUpUser, SignedUpUser } from './sign-up';

/**
 * The fuzz tier (issue 11, "Proof"): FUZZ_RUNS requests (default 10,000) generated from the served
 * OpenAPI document across every operation, anonymous, as a user (bearer and API key) and as an
 * admin: no 5xx, every error in the api-v1 format, no answer to a non-admin caller holding
 * another user's ids, emails or names, most authenticated requests past authentication, and the
 * books balanced afterwards. FUZZ_SEED replays a run's requests; FUZZ_CONCURRENCY sets how many fly at once.
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);
const PIN = '2580';

type CallerName = 'anonymous' | 'user' | 'apiKey' | 'admin';
interface Sent extends FuzzRequest {
  caller: CallerName;
}
interface Answer {
  status: number;
  text: string;
  ms: number;
}

interface Victim {
  user: SignedUpUser;
  /** Everything that identifies the user or their data; a non-admin caller must never be answered with any of it. */
  secrets: string[];
  ids: string[];
  walletNumber: string;
}

// The e2e tier's 60 s per test is far too short for the run; these limits are guards against a hang.
const SETUP_TIMEOUT_MS = 3 * 60_000;
const FUZZ_TIMEOUT_MS = 20 * 60_000;

describe('fuzz: requests generated from the OpenAPI document', () => {
  const api = new ApiClient(GATEWAY_URL);
  let doc: OpenApiDocument;
  let ops: Operation[];
  let byKey: Map<string, Operation>;
  let a: SignedUpUser;
  let aKey: string;
  let aSpare: string;
  let admin: ApiClient;
  let adminSpare: string;
  let victims: Victim[];
  let ownIds: string[];
  let aWalletNumbers: string[];
  let currencies: string[];
  let ruleCodes: string[];
  let rulesBefore: { code: string; weight: number; enabled: boolean; parameters?: Record<string, unknown> }[];
  let ratesBefore: { base: string; quote: string; rate: string }[];

  beforeAll(async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} FUZZ_CONCURRENCY=${CONCURRENCY}`);
    const served = await api.get('/docs-json');
    expect(served.status).toBe(200);
    doc = served.body;
    ops = operationsOf(doc);
    byKey = new Map(ops.map((op) => [op.key, op]));
    expect(ops.length).toBeGreaterThan(50);

    // An admin of its own: what the fuzz does as admin to its own account (wrong passwords, codes)
    // must not lock or change the bootstrap admin the other specs sign in as.
    const bootstrap = await logInAdmin(api);
    const fuzzAdmin = await signUpUser(api, 'fuzz-admin');
    const { secret: adminSecret } = await enrolTotp(fuzzAdmin);
    expect((await bootstrap.post(`/v1/admin/users/${fuzzAdmin.userId}/roles`, { roles: ['user', 'admin'] }, null)).status).toBe(200);
    admin = await signInWithTotp(api, fuzzAdmin, adminSecret);
    currencies = (await api.get('/v1/currencies')).body.items.map((c: { code: string }) => c.code);
    rulesBefore = (await admin.get('/v1/admin/fraud/rules')).body.items;
    ruleCodes = rulesBefore.map((r) => r.code);
    ratesBefore = (await admin.get('/v1/admin/fx-rates')).body;

    victims = [await victim('bravo'), await victim('charlie')];
    // A transfer between the two: each holds the other's wallet number and a transaction of it.
    const [b, c] = victims;
    const transfer = await c.user.api.post('/v1/transfers', { fromWalletId: c.ids[1], toWalletNumber: b.walletNumber, amount: '5.00', pin: PIN });
    expect(transfer.status).toBe(201);
    c.ids.push(transfer.body.id);
    c.secrets.push(transfer.body.id);

    a = await signUpUser(api, 'fuzz-a', { username: `fuzza${Date.now() % 1e8}` });
    const usd = await a.api.post('/v1/wallets', { currency: 'USD', pin: PIN });
    const other = await a.api.post('/v1/wallets', { currency: currencies.find((c) => c !== 'USD') ?? 'USD', pin: PIN });
    expect([usd.status, other.status]).toEqual([201, 201]);
    const deposit = await a.api.post(`/v1/wallets/${usd.body.id}/deposits`, { amount: '1000.00' });
    expect(deposit.status).toBe(201);
    const goal = await a.api.post('/v1/goals', { name: 'fuzz goal', targetAmount: '100.00', currency: 'USD' });
    const budget = await a.api.post('/v1/budgets', { category: 'shopping', amount: '100.00', currency: 'USD', period: 'monthly' });
    expect([goal.status, budget.status]).toEqual([201, 201]);
    ownIds = [a.userId, usd.body.id, other.body.id, deposit.body.id, goal.body.id, budget.body.id];
    aWalletNumbers = [usd.body.walletNumber, other.body.walletNumber];
    const key = await a.api.post('/v1/me/api-keys', {
      name: 'fuzz',
      scopes: ['wallets:read', 'transactions:read', 'payments:write', 'transfers:write', 'refunds:write'],
    });
    expect(key.status).toBe(201);
    aKey = key.body.key;
    // Logout ends the session it is sent with: it gets sessions of its own, so the fuzz's stay open.
    aSpare = (await api.post('/v1/auth/login', { email: a.email, password: a.password }, null)).body.accessToken;
    // A second session of its own (signInWithTotp would hand back the cached one): logout ends this one.
    const spare = await api.post(
      '/v1/auth/login',
      { email: fuzzAdmin.email, password: fuzzAdmin.password, totpCode: await reserveTotpCode(fuzzAdmin.email, adminSecret) },
      null,
    );
    expect(spare.status).toBe(200);
    adminSpare = spare.body.accessToken;
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    // The fuzz may have changed platform-wide settings: put them back for the specs after it.
    if (!admin) return;
    for (const r of rulesBefore ?? []) {
      await admin.request('PATCH', `/v1/admin/fraud/rules/${r.code}`, {
        weight: r.weight,
        enabled: r.enabled,
        ...(r.parameters ? { parameters: r.parameters } : {}),
      });
    }
    for (const r of ratesBefore ?? []) {
      await admin.request('PUT', '/v1/admin/fx-rates', { base: r.base, quote: r.quote, rate: r.rate, reason: 'restored after the fuzz' });
    }
    // Pairs the fuzz added have no API to remove them; a later spec may expect a pair (or its inverse) unset.
    const db = await new DataSource({ type: 'postgres', url: TEST_DATABASE_URL }).initialize();
    try {
      const keep = (ratesBefore ?? []).map((r) => `${r.base}/${r.quote}`);
      await db.query(`DELETE FROM ledger.fx_rates WHERE base_currency || '/' || quote_currency <> ALL($1::text[])`, [keep]);
    } finally {
      await db.destroy();
    }
    const rule = (r: { code: string; weight: number; enabled: boolean; parameters?: unknown }) => ({
      code: r.code,
      weight: r.weight,
      enabled: r.enabled,
      parameters: r.parameters,
    });
    const rate = (r: { base: string; quote: string; rate: string }) => `${r.base}/${r.quote} ${r.rate}`;
    expect((await admin.get('/v1/admin/fraud/rules')).body.items.map(rule)).toEqual(rulesBefore.map(rule));
    expect((await admin.get('/v1/admin/fx-rates')).body.map(rate).sort()).toEqual(ratesBefore.map(rate).sort());
  }, SETUP_TIMEOUT_MS);

  async function victim(name: string): Promise<Victim> {
    const user = await signUpUser(api, `fuzz-${name}`, { username: `${name}${Date.now() % 1e8}` });
    const wallet = await user.api.post('/v1/wallets', { currency: 'USD', pin: PIN });
    expect(wallet.status).toBe(201);
    const deposit = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '50.00' });
    expect(deposit.status).toBe(201);
    const goal = await user.api.post('/v1/goals', { name: `${name} goal`, targetAmount: '100.00', currency: 'USD' });
    const budget = await user.api.post('/v1/budgets', { category: 'groceries', amount: '100.00', currency: 'USD', period: 'monthly' });
    const key = await user.api.post('/v1/me/api-keys', { name: `${name} key`, scopes: ['wallets:read'] });
    expect([goal.status, budget.status, key.status]).toEqual([201, 201, 201]);
    const me = (await user.api.get('/v1/me')).body;
    const ids = [user.userId, wallet.body.id, deposit.body.id, goal.body.id, budget.body.id, key.body.id, user.sessionId];
    return { user, ids, walletNumber: wallet.body.walletNumber, secrets: [...ids, user.email, me.fullName, me.username].filter(Boolean) };
  }

  function contextFor(caller: CallerName): FuzzContext {
    const others = victims.flatMap((v) => v.ids);
    return {
      // The admin's own account and user A stay out of its reach (suspending them would end the run).
      ids: caller === 'admin' ? [...ownIds.slice(1), ...others] : [...ownIds, ...others],
      ownIds: caller === 'user' || caller === 'apiKey' ? ownIds : [],
      walletNumbers: [...aWalletNumbers, ...victims.map((v) => v.walletNumber)],
      pins: [PIN],
      emails: [a.email, ...victims.map((v) => v.user.email)],
      currencies,
      pathValues: { code: ruleCodes },
    };
  }

  /** How often each caller calls each operation: mostly the routes it may use, every route sometimes. */
  function weight(caller: CallerName, op: Operation): number {
    if (caller === 'anonymous') return 1;
    if (caller === 'admin') return 2;
    if (caller === 'apiKey') return op.schemes.includes('apiKey') ? 30 : 1;
    return op.schemes.includes('bearer') && !op.admin ? 4 : 1;
  }

  function requests(): fc.Arbitrary<Sent> {
    const callers: [CallerName, number][] = [
      ['anonymous', 15],
      ['user', 40],
      ['apiKey', 15],
      ['admin', 30],
    ];
    return fc.oneof(
      ...callers.map(([caller, share]) => ({
        weight: share,
        arbitrary: fc.oneof(
          ...ops.map((op) => ({ weight: weight(caller, op), arbitrary: requestArbitrary(doc, op, contextFor(caller)).map((r): Sent => ({ ...r, caller })) })),
        ),
      })),
    );
  }

  function credentials(r: Sent): Record<string, string> {
    const logout = r.op === 'POST /v1/auth/logout';
    switch (r.caller) {
      case 'user':
        return { Authorization: `Bearer ${logout ? aSpare : a.accessToken}` };
      case 'apiKey':
        return { 'X-API-Key': aKey };
      case 'admin':
        return { Authorization: `Bearer ${logout ? adminSpare : (admin.token as string)}` };
      default:
        return {};
    }
  }

  async function send(r: Sent): Promise<Answer> {
    const started = Date.now();
    try {
      const res = await fetch(`${GATEWAY_URL}${r.url}`, {
        method: r.method,
        headers: { ...credentials(r), ...r.headers },
        body: r.body,
        signal: AbortSignal.timeout(30_000),
      });
      return { status: res.status, text: await res.text(), ms: Date.now() - started };
    } catch (err) {
      // No answer at all (a reset or a hang): a failure of its own kind, status 0.
      return { status: 0, text: String((err as Error & { cause?: Error }).cause ?? err), ms: Date.now() - started };
    }
  }

  const ERROR_CODES = () => new Set<string>(resolve(doc, { $ref: '#/components/schemas/ApiError' }).properties.error.enum);

  /** What is wrong with an answer, or undefined. */
  function problem(r: Sent, res: Answer, codes: Set<string>): string | undefined {
    if (res.status === 0) return `no answer: ${res.text}`;
    if (res.status >= 500) return `status ${res.status}`;
    let body: Record<string, unknown> | undefined;
    try {
      body = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      if (res.status >= 400) return 'error body is not JSON';
    }
    if (res.status >= 400) {
      const b = body ?? {};
      const format =
        codes.has(String(b.error)) &&
        typeof b.message === 'string' &&
        typeof b.path === 'string' &&
        typeof b.requestId === 'string' &&
        typeof b.timestamp === 'string' &&
        !Number.isNaN(Date.parse(b.timestamp)) &&
        (b.details === undefined || (typeof b.details === 'object' && b.details !== null));
      if (!format) return 'error body is not in the api-v1 format';
    }
    const op = byKey.get(r.op) as Operation;
    const ok = res.status >= 200 && res.status < 300;
    if (ok && r.caller === 'anonymous' && op.schemes.length > 0) return `an anonymous caller was answered ${res.status} on a protected route`;
    if (ok && r.caller === 'apiKey' && op.schemes.length > 0 && !op.schemes.includes('apiKey'))
      return `an API key was answered ${res.status} on a route that takes none`;
    if (r.caller !== 'admin') {
      if (op.admin && ok) return `a ${r.caller} caller was answered ${res.status} on an admin route`;
      const asked = `${safeDecode(r.url)} ${r.body ?? ''}`.toLowerCase();
      const answer = res.text.toLowerCase();
      const leaked = victims.flatMap((v) => v.secrets).filter((s) => answer.includes(s.toLowerCase()) && !asked.includes(s.toLowerCase()));
      if (leaked.length > 0) return `answer holds another user's data: ${leaked.join(', ')}`;
    }
    return undefined;
  }

  it(
    `answers ${RUNS} generated requests without a 5xx, in the api-v1 format, without leaks, and the books balance`,
    async () => {
      const codes = ERROR_CODES();
      const arb = requests();
      // Drawn in chunks (seed + chunk number) so that no more than a chunk of long bodies is held at once.
      const CHUNK = 500;
      const byStatus = new Map<number, number>();
      const byOp = new Map<string, Map<number, number>>();
      const byCaller = new Map<CallerName, { total: number; pastAuth: number }>();
      // One example per kind of failure (what, operation, variant), with how often it happened.
      const failures = new Map<string, { example: string; count: number }>();
      const started = Date.now();
      let slowest = 0;
      for (let chunk = 0; chunk * CHUNK < RUNS; chunk++) {
        const batch = fc.sample(arb, { seed: SEED + chunk, numRuns: Math.min(CHUNK, RUNS - chunk * CHUNK) });
        let next = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < batch.length) {
              const r = batch[next++];
              const res = await send(r);
              slowest = Math.max(slowest, res.ms);
              byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
              const perOp = byOp.get(r.op) ?? new Map<number, number>();
              perOp.set(res.status, (perOp.get(res.status) ?? 0) + 1);
              byOp.set(r.op, perOp);
              const c = byCaller.get(r.caller) ?? { total: 0, pastAuth: 0 };
              c.total += 1;
              if (![401, 403, 429].includes(res.status)) c.pastAuth += 1;
              byCaller.set(r.caller, c);
              const wrong = problem(r, res, codes);
              if (wrong) {
                const kind = `${wrong.replace(/:.*/, '')} | ${r.op} | ${r.variant.replace(/:.*/, '')}`;
                const seen = failures.get(kind) ?? { example: describeFailure(r, res, wrong), count: 0 };
                seen.count += 1;
                failures.set(kind, seen);
              }
            }
          }),
        );
      }
      const seconds = (Date.now() - started) / 1000;
      const authenticated = (['user', 'apiKey', 'admin'] as CallerName[]).map((c) => byCaller.get(c) ?? { total: 0, pastAuth: 0 });
      const total = authenticated.reduce((n, c) => n + c.total, 0);
      const past = authenticated.reduce((n, c) => n + c.pastAuth, 0);
      console.log(
        [
          `fuzz: ${RUNS} requests in ${seconds.toFixed(1)} s (${(RUNS / seconds).toFixed(0)}/s, slowest ${slowest} ms), seed ${SEED}`,
          `by status: ${[...byStatus]
            .sort(([x], [y]) => x - y)
            .map(([s, n]) => `${s}: ${n}`)
            .join(', ')}`,
          `past authentication: ${((100 * past) / total).toFixed(1)}% of ${total} authenticated requests; ` +
            [...byCaller].map(([c, v]) => `${c} ${v.pastAuth}/${v.total}`).join(', '),
          'by operation:',
          ...[...byOp]
            .sort(([x], [y]) => x.localeCompare(y))
            .map(
              ([op, m]) =>
                `  ${op}: ${[...m]
                  .sort(([x], [y]) => x - y)
                  .map(([s, n]) => `${s}×${n}`)
                  .join(' ')}`,
            ),
          ...(failures.size > 0
            ? [`${failures.size} kinds of failure (replay with FUZZ_SEED=${SEED}):`, ...[...failures.values()].map((f) => `${f.count}× ${f.example}`)]
            : []),
        ].join('\n'),
      );
      expect([...failures.keys()]).toEqual([]);
      // Every operation was called.
      expect(ops.filter((op) => !byOp.has(op.key)).map((op) => op.key)).toEqual([]);
      expect(past / total).toBeGreaterThanOrEqual(0.6);

      await expectBooksBalanced();
    },
    FUZZ_TIMEOUT_MS,
  );

  async function expectBooksBalanced(): Promise<void> {
    // Money the fuzz set moving settles first (holds, fraud reviews' timeouts are the settle wait).
    await new Promise((r) => setTimeout(r, 2_000));
    const trial = await admin.get('/v1/admin/ledger/trial-balance');
    expect(trial.status).toBe(200);
    expect(trial.body.balanced).toBe(true);
    const run = await admin.post('/v1/admin/ledger/verifications', {});
    expect(run.status).toBe(202);
    const done = await waitFor(
      async () => {
        const res = await admin.get(`/v1/admin/ledger/verifications/${run.body.id}`);
        return res.body.status === 'completed' ? res.body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the verification run' },
    );
    expect(done).toMatchObject({ ok: true, differenceCount: 0 });
    // npm run ledger:verify, against the test stack's database (dist/ is built by tools/test.mjs).
    const verify = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/apps/ledger/src/reports/verify-balances.js')], {
      env: { ...process.env, ...serviceDatabaseEnv('ledger', TEST_DATABASE_URL), LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: verify.status, stderr: verify.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    const db = await new DataSource({ type: 'postgres', url: TEST_DATABASE_URL }).initialize();
    try {
      expect(await ledgerBookProblems(db)).toEqual([]);
    } finally {
      await db.destroy();
    }
  }
});

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

const clip = (s: string | undefined, n = 600) => (s === undefined ? '' : s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function describeFailure(r: Sent, res: Answer, what: string): string {
  const all = Object.entries(r.headers);
  const headers = Object.fromEntries(all.slice(0, 4).map(([k, v]) => [k, clip(v, 80)]));
  if (all.length > 4) headers['…'] = `${all.length - 4} more`;
  return [
    `- ${what}: seed ${SEED}, ${r.caller}, ${r.variant}`,
    `  ${r.method} ${clip(r.url, 300)} ${JSON.stringify(headers)}`,
    `  body: ${clip(r.body)}`,
    `  → ${res.status} ${clip(res.text)}`,
  ].join('\n');
}
