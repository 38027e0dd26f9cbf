import { randomUUID } from 'node:crypto';
import { ApiClient, waitFor } from '@tally/testing';
import { GATEWAY_URL } from '../stack-env';
import { securityEvents } from './emails';
import { logInAdmin, signUpUser } from './sign-up';

/** Register, login, refresh with rotation, logout, sessions per device, lockout, closed accounts. */
describe('identity: accounts and sessions', () => {
  const api = new ApiClient(GATEWAY_URL);
  const del = (client: ApiClient, path: string) => client.request('DELETE', path);

  function errorBody(res: { body: Record<string, unknown> }) {
    expect(res.body).toEqual(
      expect.objectContaining({
        error: expect.any(String),
        message: expect.any(String),
        timestamp: expect.any(String),
        path: expect.any(String),
        requestId: expect.any(String),
      }),
    );
    return res.body;
  }

  describe('register', () => {
    it('creates the user (201) with a masked phone, unverified email and the user role, never a hash', async () => {
      const email = `reg-${randomUUID().slice(0, 8)}@example.com`;
      const res = await api.post(
        '/v1/auth/register',
        { email, password: 'correct horse 42', fullName: 'Reg Tester', phone: '+60 12-345 6789', username: `reg_${randomUUID().slice(0, 6)}` },
        null,
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email, fullName: 'Reg Tester', phone: '*********89', roles: ['user'], status: 'active', emailVerified: false });
      expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password/i);
    });

    it.each([
      ['a bad email', { email: 'not-an-email' }, 'email'],
      ['a short password', { password: 'short1' }, 'password'],
      ['a password without digits', { password: 'no digits at all' }, 'password'],
      ['a password made of the email name', { email: 'skipperx@example.com', password: 'skipperx-123' }, 'password'],
      ['a bad username', { username: 'a b' }, 'username'],
      ['a bad phone', { phone: 'call me' }, 'phone'],
      ['no fullName', { fullName: '' }, 'fullName'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_label, change, field) => {
      const body = { email: `v-${randomUUID().slice(0, 8)}@example.com`, password: 'correct horse 42', fullName: 'V Tester', ...change };
      const res = await api.post('/v1/auth/register', body, null);
      expect(res.status).toBe(400);
      expect(errorBody(res).error).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).toContain(field);
    });

    it('takes an optional Idempotency-Key: a replay answers the same user, another body 409, a malformed key 400', async () => {
      const body = { email: `idem-${randomUUID().slice(0, 8)}@example.com`, password: 'correct horse 42', fullName: 'Idem Tester' };
      const key = randomUUID();
      const first = await api.post('/v1/auth/register', body, key);
      expect(first.status).toBe(201);
      const replay = await api.post('/v1/auth/register', body, key);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      const other = await api.post('/v1/auth/register', { ...body, fullName: 'Someone Else' }, key);
      expect(other.status).toBe(409);
      expect(errorBody(other).error).toBe('IDEMPOTENCY_KEY_REUSED');
      // Without the key the same body meets the taken email.
      expect((await api.post('/v1/auth/register', body, null)).status).toBe(409);
      const malformed = await api.post('/v1/auth/register', { ...body, email: `m-${body.email}` }, 'has spaces in it');
      expect(malformed.status).toBe(400);
      expect(errorBody(malformed).error).toBe('VALIDATION_FAILED');
    });

    it('refuses an unknown field and a taken email (409, any case)', async () => {
      const extra = await api.post(
        '/v1/auth/register',
        { email: `x-${randomUUID().slice(0, 8)}@example.com`, password: 'correct horse 42', fullName: 'X', roles: ['admin'] },
        null,
      );
      expect(extra.status).toBe(400);
      const user = await signUpUser(api, 'taken');
      const again = await api.post('/v1/auth/register', { email: user.email.toUpperCase(), password: 'correct horse 42', fullName: 'Again' }, null);
      expect(again.status).toBe(409);
      expect(errorBody(again).error).toBe('CONFLICT');
    });
  });

  describe('login and me', () => {
    it('logs in by email or by username; GET /v1/me answers the user', async () => {
      const username = `ann_${randomUUID().slice(0, 6)}`;
      const ann = await signUpUser(api, 'ann', { username });
      const byName = await api.post('/v1/auth/login', { username: username.toUpperCase(), password: ann.password }, null);
      expect(byName.status).toBe(200);
      expect(byName.body).toMatchObject({ tokenType: 'Bearer', user: { id: ann.userId, username } });
      expect(new Date(byName.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(13 * 60_000);
      expect(new Date(byName.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
      const me = await api.as(byName.body.accessToken).get('/v1/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: ann.userId, email: ann.email, roles: ['user'], status: 'active' });
    });

    it('refuses a missing password or login name (400), a wrong password (401), and no or a forged token (401)', async () => {
      const ann = await signUpUser(api, 'ann');
      expect((await api.post('/v1/auth/login', { email: ann.email }, null)).status).toBe(400);
      expect((await api.post('/v1/auth/login', { password: ann.password }, null)).status).toBe(400);
      const wrong = await api.post('/v1/auth/login', { email: ann.email, password: 'wrong horse 42' }, null);
      expect(wrong.status).toBe(401);
      expect(errorBody(wrong).error).toBe('UNAUTHENTICATED');
      expect((await api.get('/v1/me')).status).toBe(401);
      const [h, p] = ann.accessToken.split('.');
      expect((await api.as(`${h}.${p}.${'A'.repeat(43)}`).get('/v1/me')).status).toBe(401);
    });
  });

  describe('refresh', () => {
    it('rotates: the new pair works, and reusing the old refresh token revokes the whole session', async () => {
      const bob = await signUpUser(api, 'bob');
      const first = await api.post('/v1/auth/refresh', { refreshToken: bob.refreshToken }, null);
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(bob.refreshToken);
      expect((await api.as(first.body.accessToken).get('/v1/me')).status).toBe(200);
      const second = await api.post('/v1/auth/refresh', { refreshToken: first.body.refreshToken }, null);
      expect(second.status).toBe(200);

      // The first token again: it was rotated away, so it is treated as stolen.
      const reuse = await api.post('/v1/auth/refresh', { refreshToken: bob.refreshToken }, null);
      expect(reuse.status).toBe(401);
      // The latest refresh token of that session is dead too, and its access tokens stop working.
      expect((await api.post('/v1/auth/refresh', { refreshToken: second.body.refreshToken }, null)).status).toBe(401);
      await waitFor(async () => ((await api.as(second.body.accessToken).get('/v1/me')).status === 401 ? true : undefined), {
        what: 'the revoked session to stop working (AUTH_CACHE_MS)',
        timeoutMs: 10_000,
      });
      expect((await securityEvents(bob.userId)).map((e) => e.kind)).toContain('refresh_token_reused');
    });

    it('refuses a missing (400) or unknown (401) refresh token', async () => {
      expect((await api.post('/v1/auth/refresh', {}, null)).status).toBe(400);
      expect((await api.post('/v1/auth/refresh', { refreshToken: 'x'.repeat(43) }, null)).status).toBe(401);
    });
  });

  describe('logout and sessions', () => {
    it('logout (204) ends the session at once: its access and refresh tokens stop working', async () => {
      const cat = await signUpUser(api, 'cat');
      expect((await cat.api.get('/v1/me')).status).toBe(200);
      const out = await cat.api.post('/v1/auth/logout', {}, null);
      expect(out.status).toBe(204);
      expect((await cat.api.get('/v1/me')).status).toBe(401);
      expect((await api.post('/v1/auth/refresh', { refreshToken: cat.refreshToken }, null)).status).toBe(401);
      expect((await api.post('/v1/auth/logout', {}, null)).status).toBe(401);
    });

    it('lists the live sessions per device and revokes one; the revoked device is out, the others stay in', async () => {
      const dan = await signUpUser(api, 'dan');
      const phone = await api.request('POST', '/v1/auth/login', { email: dan.email, password: dan.password }, { 'User-Agent': 'TallyPhone/1.0' });
      expect(phone.status).toBe(200);
      const phoneApi = api.as(phone.body.accessToken);

      const list = await dan.api.get('/v1/me/sessions');
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ total: 2, limit: 50, offset: 0 });
      const mine = list.body.items.find((s: { current: boolean }) => s.current);
      expect(mine.id).toBe(dan.sessionId);
      const other = list.body.items.find((s: { current: boolean }) => !s.current);
      expect(other).toMatchObject({ userAgent: 'TallyPhone/1.0', ip: expect.any(String) });
      expect(JSON.stringify(list.body)).not.toContain(dan.refreshToken);

      expect((await del(dan.api, `/v1/me/sessions/${other.id}`)).status).toBe(204);
      expect((await phoneApi.get('/v1/me')).status).toBe(401);
      expect((await api.post('/v1/auth/refresh', { refreshToken: phone.body.refreshToken }, null)).status).toBe(401);
      expect((await dan.api.get('/v1/me')).status).toBe(200);
      expect((await dan.api.get('/v1/me/sessions')).body.total).toBe(1);
      // Revoking it again is a no-op for its owner.
      expect((await del(dan.api, `/v1/me/sessions/${other.id}`)).status).toBe(204);
      expect((await securityEvents(dan.userId)).map((e) => e.kind)).toEqual(expect.arrayContaining(['login_succeeded', 'session_revoked']));
    });

    it("user A cannot see or revoke user B's sessions (404); a bad id is 400; list params are checked", async () => {
      const a = await signUpUser(api, 'a');
      const b = await signUpUser(api, 'b');
      const res = await del(a.api, `/v1/me/sessions/${b.sessionId}`);
      expect(res.status).toBe(404);
      expect(errorBody(res).error).toBe('NOT_FOUND');
      expect((await b.api.get('/v1/me')).status).toBe(200);
      const aList = await a.api.get('/v1/me/sessions');
      expect(aList.body.items.map((s: { id: string }) => s.id)).toEqual([a.sessionId]);
      expect((await del(a.api, '/v1/me/sessions/not-a-uuid')).status).toBe(404);
      expect((await del(a.api, `/v1/me/sessions/${randomUUID()}`)).status).toBe(404);
      expect((await a.api.get('/v1/me/sessions?limit=0')).status).toBe(400);
      expect((await a.api.get('/v1/me/sessions?limit=101')).status).toBe(400);
      expect((await a.api.get('/v1/me/sessions?offset=-1')).status).toBe(400);
      expect((await a.api.get('/v1/me/sessions?limit=1&offset=1')).body).toMatchObject({ items: [], total: 1, limit: 1, offset: 1 });
      expect((await a.api.get('/v1/me/sessions?sortBy=createdAt&sortOrder=asc')).status).toBe(200);
      expect((await a.api.get('/v1/me/sessions?sortBy=user_id')).status).toBe(400);
      expect((await a.api.get('/v1/me/sessions?sortOrder=up')).status).toBe(400);
    });
  });

  describe('lockout', () => {
    it('5 failures lock the account (423 even with the right password); an unknown email answers exactly the same', async () => {
      const eve = await signUpUser(api, 'eve');
      const ghost = `ghost-${randomUUID().slice(0, 8)}@example.com`;
      const strip = (body: Record<string, unknown>) => ({ ...body, timestamp: undefined, requestId: undefined });
      for (let i = 0; i < 5; i++) {
        const real = await api.post('/v1/auth/login', { email: eve.email, password: `wrong horse ${i}` }, null);
        const unknown = await api.post('/v1/auth/login', { email: ghost, password: `wrong horse ${i}` }, null);
        expect([real.status, unknown.status]).toEqual([401, 401]);
        expect(strip(real.body)).toEqual(strip(unknown.body));
      }
      const locked = await api.post('/v1/auth/login', { email: eve.email, password: eve.password }, null);
      const lockedGhost = await api.post('/v1/auth/login', { email: ghost, password: 'correct horse 42' }, null);
      expect([locked.status, lockedGhost.status]).toEqual([423, 423]);
      expect(errorBody(locked).error).toBe('ACCOUNT_LOCKED');
      expect(strip(locked.body)).toEqual(strip(lockedGhost.body));
      const kinds = (await securityEvents(eve.userId)).map((e) => e.kind);
      expect(kinds.filter((k) => k === 'login_failed')).toHaveLength(5);
      expect(kinds).toContain('account_locked');
      // Sessions opened before the lock still work: locking stops new logins only.
      expect((await eve.api.get('/v1/me')).status).toBe(200);
    });
  });

  describe('closed accounts', () => {
    it('cannot log in (the same 401 as a wrong password), and their sessions end', async () => {
      const admin = await logInAdmin(api);
      const fay = await signUpUser(api, 'fay');
      const closed = await admin.post(`/v1/admin/users/${fay.userId}/close`, {}, null);
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');
      const login = await api.post('/v1/auth/login', { email: fay.email, password: fay.password }, null);
      expect(login.status).toBe(401);
      expect(login.body.error).toBe('UNAUTHENTICATED');
      await waitFor(async () => ((await fay.api.get('/v1/me')).status === 401 ? true : undefined), {
        what: 'the closed account session to stop working',
        timeoutMs: 10_000,
      });
      expect((await api.post('/v1/auth/refresh', { refreshToken: fay.refreshToken }, null)).status).toBe(401);
      // Closing is final.
      expect((await admin.post(`/v1/admin/users/${fay.userId}/activate`, {}, null)).status).toBe(409);
    });
  });
});
