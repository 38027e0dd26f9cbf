import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ApiClient } from '@tally/testing';
import { GATEWAY_URL, TEST_DATABASE_URL } from '../stack-env';
import { securityEvents } from './emails';
import { signUpUser } from './sign-up';

/** API keys: shown once, stored hashed, scoped, revocable, last use recorded; X-API-Key on scoped routes. */
describe('identity: API keys', () => {
  const api = new ApiClient(GATEWAY_URL);
  const withKey = (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    api.request(method, path, body, { 'X-API-Key': key, ...headers });

  it('creates a key (201, secret shown once), lists it without the secret, and stores only a hash', async () => {
    const ann = await signUpUser(api, 'ann');
    const created = await ann.api.post('/v1/me/api-keys', { name: 'shop backend', scopes: ['wallets:read', 'transactions:read'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'shop backend',
      scopes: ['wallets:read', 'transactions:read'],
      lastUsedAt: null,
      revokedAt: null,
      expiresAt: null,
    });
    expect(created.body.key).toMatch(/^tk_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);

    const list = await ann.api.get('/v1/me/api-keys');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(list.body.items[0]).toMatchObject({ id: created.body.id, prefix: created.body.prefix });
    expect(list.body.items[0]).not.toHaveProperty('key');
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);

    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      const rows = await db.query(`SELECT secret_hash FROM identity.api_keys WHERE id = $1`, [created.body.id]);
      expect(rows.rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows.rows[0].secret_hash).not.toContain(created.body.key.split('_').pop());
    } finally {
      await db.end();
    }
    expect((await securityEvents(ann.userId)).map((e) => e.kind)).toContain('api_key_created');
  });

  it('Idempotency-Key: required; a replay answers the same key without its secret; another body is 409; concurrent twins make one key', async () => {
    const fay = await signUpUser(api, 'fay');
    const body = { name: 'ci deploy', scopes: ['wallets:read'] };
    const missing = await fay.api.post('/v1/me/api-keys', body, null);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('VALIDATION_FAILED');

    const idem = randomUUID();
    const first = await fay.api.post('/v1/me/api-keys', body, idem);
    expect(first.status).toBe(201);
    expect(typeof first.body.key).toBe('string');
    const replay = await fay.api.post('/v1/me/api-keys', body, idem);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual({ ...first.body, key: undefined, lastUsedAt: replay.body.lastUsedAt });
    expect(replay.body).not.toHaveProperty('key');
    expect(JSON.stringify(replay.body)).not.toContain(first.body.key.split('_').pop());
    const reused = await fay.api.post('/v1/me/api-keys', { ...body, scopes: ['transfers:write'] }, idem);
    expect(reused.status).toBe(409);
    expect(reused.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    // The secret of the first answer still works: the replay did not rotate it.
    expect((await withKey(first.body.key, 'GET', '/v1/wallets')).status).toBe(200);

    const twinKey = randomUUID();
    const twins = await Promise.all(Array.from({ length: 4 }, () => fay.api.post('/v1/me/api-keys', { name: 'twins', scopes: ['wallets:read'] }, twinKey)));
    expect(twins.map((t) => t.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(twins.map((t) => t.body.id)).size).toBe(1);
    expect(twins.filter((t) => typeof t.body.key === 'string')).toHaveLength(1);
    const listed = await fay.api.get('/v1/me/api-keys');
    expect(listed.body.total).toBe(2);
    expect((await securityEvents(fay.userId)).filter((e) => e.kind === 'api_key_created')).toHaveLength(2);
  });

  it.each([
    ['no name', { scopes: ['wallets:read'] }],
    ['an empty name', { name: '', scopes: ['wallets:read'] }],
    ['no scopes', { name: 'k', scopes: [] }],
    ['an unknown scope', { name: 'k', scopes: ['admin:all'] }],
    ['scopes not a list', { name: 'k', scopes: 'wallets:read' }],
    ['a past expiry', { name: 'k', scopes: ['wallets:read'], expiresAt: '2020-01-01T00:00:00Z' }],
    ['a bad expiry', { name: 'k', scopes: ['wallets:read'], expiresAt: 'tomorrow' }],
    ['an unknown field', { name: 'k', scopes: ['wallets:read'], userId: randomUUID() }],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_label, body) => {
    const ann = await signUpUser(api, 'ann');
    const res = await ann.api.post('/v1/me/api-keys', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_FAILED');
  });

  it('X-API-Key works on routes of its scopes only, as its owner; never on account, key or admin routes', async () => {
    const bob = await signUpUser(api, 'bob');
    const wallet = await bob.api.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect(wallet.status).toBe(201);
    const { body: readKey } = await bob.api.post('/v1/me/api-keys', { name: 'reader', scopes: ['wallets:read'] });

    const wallets = await withKey(readKey.key, 'GET', '/v1/wallets');
    expect(wallets.status).toBe(200);
    expect(wallets.body.items.map((w: { id: string }) => w.id)).toEqual([wallet.body.id]);
    expect((await withKey(readKey.key, 'GET', `/v1/wallets/${wallet.body.id}/balance`)).status).toBe(200);

    // Has no transactions:read scope.
    const noScope = await withKey(readKey.key, 'GET', '/v1/transactions');
    expect(noScope.status).toBe(403);
    expect(noScope.body).toMatchObject({ error: 'FORBIDDEN', details: { scope: 'transactions:read' } });
    // Routes that name no scope take a person's token only.
    for (const path of ['/v1/me', '/v1/me/api-keys', '/v1/me/sessions', '/v1/admin/users']) {
      expect([path, (await withKey(readKey.key, 'GET', path)).status]).toEqual([path, 401]);
    }
    expect((await withKey(readKey.key, 'POST', '/v1/me/api-keys', { name: 'x', scopes: ['payments:write'] })).status).toBe(401);
    // A wrong or malformed key.
    expect((await withKey(`${readKey.key.slice(0, -1)}${readKey.key.endsWith('A') ? 'B' : 'A'}`, 'GET', '/v1/wallets')).status).toBe(401);
    expect((await withKey('nonsense', 'GET', '/v1/wallets')).status).toBe(401);

    const listed = await bob.api.get('/v1/me/api-keys');
    expect(listed.body.items[0].lastUsedAt).not.toBeNull();
  });

  it('a key with transfers:write moves money; a wallets-only key cannot', async () => {
    const carl = await signUpUser(api, 'carl');
    const dora = await signUpUser(api, 'dora');
    const from = await carl.api.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    const to = await dora.api.post('/v1/wallets', { currency: 'USD', pin: '3141' });
    expect((await carl.api.post(`/v1/wallets/${from.body.id}/deposits`, { amount: '50.00' })).status).toBe(201);
    const { body: payKey } = await carl.api.post('/v1/me/api-keys', { name: 'payouts', scopes: ['transfers:write'] });
    const { body: readKey } = await carl.api.post('/v1/me/api-keys', { name: 'reader', scopes: ['wallets:read'] });
    const transfer = { fromWalletId: from.body.id, toWalletNumber: to.body.walletNumber, amount: '5.00', pin: '2580' };

    const refused = await withKey(readKey.key, 'POST', '/v1/transfers', transfer, { 'Idempotency-Key': randomUUID() });
    expect(refused.status).toBe(403);
    const sent = await withKey(payKey.key, 'POST', '/v1/transfers', transfer, { 'Idempotency-Key': randomUUID() });
    expect([201, 202]).toContain(sent.status);
    expect(sent.body).toMatchObject({ type: 'transfer_out', amount: '5.00', walletId: from.body.id });
  });

  it('a revoked key stops working at once (204; revoking again is a no-op)', async () => {
    const eve = await signUpUser(api, 'eve');
    const { body: key } = await eve.api.post('/v1/me/api-keys', { name: 'temp', scopes: ['wallets:read'] });
    expect((await withKey(key.key, 'GET', '/v1/wallets')).status).toBe(200);
    expect((await eve.api.request('DELETE', `/v1/me/api-keys/${key.id}`)).status).toBe(204);
    expect((await withKey(key.key, 'GET', '/v1/wallets')).status).toBe(401);
    expect((await eve.api.request('DELETE', `/v1/me/api-keys/${key.id}`)).status).toBe(204);
    const listed = await eve.api.get('/v1/me/api-keys');
    expect(listed.body.items[0].revokedAt).not.toBeNull();
    expect((await securityEvents(eve.userId)).map((e) => e.kind)).toContain('api_key_revoked');
  });

  it("user A cannot see or revoke user B's keys (404)", async () => {
    const a = await signUpUser(api, 'a');
    const b = await signUpUser(api, 'b');
    const { body: bKey } = await b.api.post('/v1/me/api-keys', { name: 'b key', scopes: ['wallets:read'] });
    const res = await a.api.request('DELETE', `/v1/me/api-keys/${bKey.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('NOT_FOUND');
    expect((await a.api.get('/v1/me/api-keys')).body).toMatchObject({ items: [], total: 0 });
    expect((await withKey(bKey.key, 'GET', '/v1/wallets')).status).toBe(200);
    // A malformed id names no key: 404 like someone else's.
    expect((await a.api.request('DELETE', '/v1/me/api-keys/nope')).status).toBe(404);
    const sorted = await b.api.get('/v1/me/api-keys?sortBy=name&sortOrder=asc&limit=1');
    expect(sorted.body).toMatchObject({ total: 1, limit: 1, offset: 0, items: [{ id: bKey.id }] });
    expect((await b.api.get('/v1/me/api-keys?sortBy=secret_hash')).status).toBe(400);
    expect((await b.api.get('/v1/me/api-keys?limit=500')).status).toBe(400);
  });
});
