import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ApiClient } from '@tally/testing';
import { logInAdmin, signUpUser, SignedUpUser } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * Bad input gets a clear 4xx in the api-v1 error format, never a 500 (issue 11, point 7; the
 * fuzz's 5xx answers): deep JSON, a body that is not what its Content-Encoding says, non-JSON
 * bodies, NUL characters, a numeric email, tokens without `exp`, words where an id goes, and
 * unknown query parameters on every list.
 */
describe('hostile input at the edge', () => {
  const api = new ApiClient(GATEWAY_URL);
  let user: SignedUpUser;

  beforeAll(async () => {
    user = await signUpUser(api, 'hostile');
  });

  async function raw(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string>) {
    const res = await fetch(`${GATEWAY_URL}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  function expectApiError(res: { status: number; body: any }, status: number, error: string, path: string) {
    expect([res.status, res.body?.error]).toEqual([status, error]);
    expect(res.body).toMatchObject({ path, requestId: expect.any(String), timestamp: expect.any(String), message: expect.any(String) });
  }

  const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

  it('JSON nested 2,000 levels deep is 400 before authentication, on login, wallets and transfers', async () => {
    for (const path of ['/v1/auth/login', '/v1/wallets', '/v1/transfers', '/v1/me/api-keys']) {
      const res = await raw('POST', path, nested(2000), { 'content-type': 'application/json', 'idempotency-key': `deep-${path}` });
      expectApiError(res, 400, 'VALIDATION_FAILED', path);
      expect(res.body.details).toEqual({ maxDepth: 64 });
    }
    // 65 levels is one too many; shallower bodies go on to validation (400 for the unknown field, not for depth).
    expect((await raw('POST', '/v1/auth/login', nested(65), { 'content-type': 'application/json' })).body.details).toEqual({ maxDepth: 64 });
    const shallow = await raw('POST', '/v1/auth/login', nested(10), { 'content-type': 'application/json' });
    expect(shallow.status).toBe(400);
    expect(shallow.body.details.maxDepth).toBeUndefined();
  });

  it('Content-Encoding: gzip on a body that is not gzip is 400; a real gzip body is read', async () => {
    const body = JSON.stringify({ email: user.email, password: 'wrong password 1' });
    const broken = await raw('POST', '/v1/auth/login', body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expectApiError(broken, 400, 'VALIDATION_FAILED', '/v1/auth/login');
    const unknown = await raw('POST', '/v1/auth/login', body, { 'content-type': 'application/json', 'content-encoding': 'x-bogus' });
    expectApiError(unknown, 415, 'UNSUPPORTED_MEDIA_TYPE', '/v1/auth/login');
    const gzipped = await raw('POST', '/v1/auth/login', gzipSync(JSON.stringify({ email: user.email, password: user.password })), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(gzipped.status).toBe(200);
    expect(gzipped.body.accessToken).toEqual(expect.any(String));
  });

  it('a form-encoded or other non-JSON body is 415 UNSUPPORTED_MEDIA_TYPE, and nothing is created', async () => {
    const form = await raw('POST', '/v1/auth/login', `email=${encodeURIComponent(user.email)}&password=${encodeURIComponent(user.password)}`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectApiError(form, 415, 'UNSUPPORTED_MEDIA_TYPE', '/v1/auth/login');
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await raw('POST', '/v1/wallets', '{"currency":"USD","pin":"2580"}', {
        'content-type': type,
        authorization: `Bearer ${user.accessToken}`,
        'idempotency-key': `type-${type}`,
      });
      expectApiError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', '/v1/wallets');
    }
    expect((await user.api.get('/v1/wallets')).body.total).toBe(0);
    // JSON with a charset, and a POST without a body, are fine.
    const charset = await raw('POST', '/v1/auth/login', JSON.stringify({ email: user.email, password: user.password }), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(charset.status).toBe(200);
    expect((await raw('POST', '/v1/auth/logout', undefined, { authorization: `Bearer ${charset.body.accessToken}` })).status).toBe(204);
  });

  it('a NUL character in a string (an email, a description, a query) is 400 VALIDATION_FAILED', async () => {
    const register = await api.post('/v1/auth/register', { email: 'nul\u0000@example.com', password: 'correct horse 42', fullName: 'Nul' }, null);
    expectApiError(register, 400, 'VALIDATION_FAILED', '/v1/auth/register');
    expect(register.body.details.field).toBe('email');
    const wallet = await user.api.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect(wallet.status).toBe(201);
    const deposit = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '5.00', description: 'coffee\u0000beans' });
    expectApiError(deposit, 400, 'VALIDATION_FAILED', `/v1/wallets/${wallet.body.id}/deposits`);
    expect((await user.api.get(`/v1/wallets/${wallet.body.id}`)).body.balance).toBe('0.00');
    const query = await user.api.get('/v1/transactions?type=deposit%00');
    expectApiError(query, 400, 'VALIDATION_FAILED', '/v1/transactions');
  });

  it('a lone surrogate in a string (a reason, a description, a merchant) is 400 VALIDATION_FAILED, not 500; a pair is fine', async () => {
    const wallet = await user.api.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect(wallet.status).toBe(201);
    const freeze = await user.api.post(`/v1/wallets/${wallet.body.id}/freeze`, { reason: '\ud800' }, null);
    expectApiError(freeze, 400, 'VALIDATION_FAILED', `/v1/wallets/${wallet.body.id}/freeze`);
    expect(freeze.body.details.field).toBe('reason');
    const deposit = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '5.00', description: 'a\udc00b' });
    expectApiError(deposit, 400, 'VALIDATION_FAILED', `/v1/wallets/${wallet.body.id}/deposits`);
    const payment = await user.api.post('/v1/payments', {
      walletId: wallet.body.id,
      merchantName: '\udbff',
      merchantCategory: 'shopping',
      amount: '1.00',
      pin: '2580',
    });
    expectApiError(payment, 400, 'VALIDATION_FAILED', '/v1/payments');
    expect((await user.api.get(`/v1/wallets/${wallet.body.id}`)).body).toMatchObject({ status: 'active', balance: '0.00' });
    const emoji = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '5.00', description: 'coffee \ud83d\ude00' });
    expect([emoji.status, emoji.body.description]).toEqual([201, 'coffee 😀']);
  });

  it('a numeric email beside a username at login is 400, not passed on', async () => {
    const res = await api.post('/v1/auth/login', { email: 12345, username: 'someone', password: 'whatever 123' }, null);
    expectApiError(res, 400, 'VALIDATION_FAILED', '/v1/auth/login');
    expect(res.body.details.problems).toEqual(expect.arrayContaining([expect.stringContaining('email')]));
  });

  it('a correctly signed access token without exp is 401', async () => {
    // The test stack runs with the gateway's development JWT_SECRET (no production there).
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const sign = (claims: object) => {
      const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
      return `${unsigned}.${createHmac('sha256', 'tally-dev-only-jwt-secret-change-me-0123456789').update(unsigned).digest('base64url')}`;
    };
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: user.userId, sid: user.sessionId, roles: ['user'], iss: 'tally', iat: now };
    // The same claims with exp pass: the signature and the session are right, only exp is missing.
    expect((await api.as(sign({ ...claims, exp: now + 600 })).get('/v1/me')).status).toBe(200);
    const res = await api.as(sign(claims)).get('/v1/me');
    expectApiError(res, 401, 'UNAUTHENTICATED', '/v1/me');
  });

  it('a word or a malformed id where an id goes is 404 NOT_FOUND, not "uuid is expected"', async () => {
    for (const path of ['/v1/transactions/recurring', '/v1/transactions/export', '/v1/wallets/not-a-uuid', '/v1/goals/123', '/v1/me/sessions/current']) {
      const res = await user.api.get(path);
      expectApiError(res, 404, 'NOT_FOUND', path);
      expect(res.body.message).not.toMatch(/uuid/i);
    }
  });

  it('unknown query parameters are refused the same way on every list: 400 naming the parameter', async () => {
    const lists = [
      '/v1/wallets',
      '/v1/transactions',
      '/v1/budgets',
      '/v1/goals',
      '/v1/me/sessions',
      '/v1/me/api-keys',
      '/v1/me/notifications',
      '/v1/me/webhooks',
      '/v1/currencies',
    ];
    for (const path of lists) {
      const res = await user.api.get(`${path}?bogusParam=1`);
      expectApiError(res, 400, 'VALIDATION_FAILED', path);
      expect(res.body.details.problems).toEqual(['property bogusParam should not exist']);
      // The same list without it answers.
      expect([path, (await user.api.get(path)).status]).toEqual([path, 200]);
    }
    // Known parameters still work, on a DTO list and a route with named parameters.
    expect((await user.api.get('/v1/transactions?limit=5&sortOrder=asc')).status).toBe(200);
  });

  it('a URL or headers beyond what Node reads is 431 in the api-v1 format, not a bare status', async () => {
    const longUrl = await raw('GET', `/v1/wallets?q=${'u'.repeat(70_000)}`, undefined, {});
    expectApiError(longUrl, 431, 'PAYLOAD_TOO_LARGE', '/v1/wallets');
    expect(longUrl.body.details).toEqual({ limitKb: expect.any(Number) });
    const bigHeader = await raw('GET', '/v1/me', undefined, { authorization: `Bearer ${user.accessToken}`, 'x-filler': 'h'.repeat(40_000) });
    expectApiError(bigHeader, 431, 'PAYLOAD_TOO_LARGE', '/v1/me');
    // The server still answers the next request.
    expect((await user.api.get('/v1/me')).status).toBe(200);
  });

  it('a malformed amount bound beside a valid one, a huge offset or a year-0 date on the transaction lists is 400, not 500', async () => {
    const admin = await logInAdmin(api);
    for (const [client, list] of [
      [user.api, '/v1/transactions'],
      [admin, '/v1/admin/transactions'],
    ] as const) {
      for (const query of [
        'minAmount=1e400&maxAmount=10.00',
        'minAmount=5&maxAmount=99999999999999999999999',
        'offset=1000001',
        'offset=1e308',
        'from=0000-01-01',
      ]) {
        const res = await client.get(`${list}?${query}`);
        expectApiError(res, 400, 'VALIDATION_FAILED', list);
      }
      expect((await client.get(`${list}?offset=1000000&minAmount=1&maxAmount=2`)).status).toBe(200);
    }
    // The other lists cap offset alike: past 1,000,000 a whole number is 400 (1e20 would not fit a bigint).
    for (const list of ['/v1/me/sessions', '/v1/me/api-keys', '/v1/me/notifications', '/v1/me/webhooks']) {
      for (const offset of ['1000001', '99999999999999999999']) {
        const res = await user.api.get(`${list}?offset=${offset}`);
        expectApiError(res, 400, 'VALIDATION_FAILED', list);
      }
      expect((await user.api.get(`${list}?offset=1000000`)).status).toBe(200);
    }
  });
});
