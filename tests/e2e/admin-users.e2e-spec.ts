import { randomUUID } from 'node:crypto';
import { ApiClient } from '@tally/testing';
import { GATEWAY_URL } from '../stack-env';
import { securityEvents } from './emails';
import { enrolTotp, logInAdmin, signInWithTotp, signUpUser } from './sign-up';

/** Admin user management: list (masked), suspend/activate, roles; suspended users cannot move money. */
describe('admin: users', () => {
  const api = new ApiClient(GATEWAY_URL);
  let admin: ApiClient;

  beforeAll(async () => {
    admin = await logInAdmin(api);
  });

  it('lists users with api-v1 list params, email and phone masked', async () => {
    const ann = await signUpUser(api, 'ann', { phone: '+60123456789' });
    const list = await admin.get('/v1/admin/users?limit=100&sortBy=createdAt&sortOrder=desc');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ limit: 100, offset: 0, total: expect.any(Number) });
    const row = list.body.items.find((u: { id: string }) => u.id === ann.userId);
    // The seed's masking: the first three characters of the name, the phone's first four digits and its last.
    const at = ann.email.indexOf('@');
    const maskedEmail = `${ann.email.slice(0, 3)}***${ann.email.slice(at)}`;
    expect(row).toMatchObject({ email: maskedEmail, phone: '+6012XXXXXX9', status: 'active', roles: ['user'] });
    expect(JSON.stringify(list.body)).not.toContain(ann.email);
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password/i);

    const page = await admin.get('/v1/admin/users?limit=1&offset=1&sortBy=email&sortOrder=asc');
    expect(page.body.items).toHaveLength(1);
    const admins = await admin.get('/v1/admin/users?role=admin');
    expect(admins.body.items.every((u: { roles: string[] }) => u.roles.includes('admin'))).toBe(true);
    for (const bad of ['limit=0', 'limit=101', 'offset=-1', 'sortBy=password_hash', 'sortOrder=up', 'status=deleted', 'role=root', 'email=x']) {
      expect([bad, (await admin.get(`/v1/admin/users?${bad}`)).status]).toEqual([bad, 400]);
    }
  });

  it('a user is refused every admin route (403); no token is 401', async () => {
    const bob = await signUpUser(api, 'bob');
    expect((await bob.api.get('/v1/admin/users')).status).toBe(403);
    expect((await bob.api.get('/v1/admin/users')).body.error).toBe('FORBIDDEN');
    for (const action of ['suspend', 'activate', 'close']) {
      expect((await bob.api.post(`/v1/admin/users/${bob.userId}/${action}`, {}, null)).status).toBe(403);
    }
    expect((await bob.api.post(`/v1/admin/users/${bob.userId}/roles`, { roles: ['user', 'admin'] }, null)).status).toBe(403);
    expect((await api.get('/v1/admin/users')).status).toBe(401);
  });

  it('a suspended user can log in and read but cannot move money; activated, they can again', async () => {
    const cat = await signUpUser(api, 'cat');
    const dan = await signUpUser(api, 'dan');
    const wallet = await cat.api.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    const target = await dan.api.post('/v1/wallets', { currency: 'USD', pin: '3141' });
    expect((await cat.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '20.00' })).status).toBe(201);

    const { body: key } = await cat.api.post('/v1/me/api-keys', { name: 'payouts', scopes: ['transfers:write', 'wallets:read'] });
    const suspended = await admin.post(`/v1/admin/users/${cat.userId}/suspend`, { reason: 'chargeback review' }, null);
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ id: cat.userId, status: 'suspended' });

    const transfer = { fromWalletId: wallet.body.id, toWalletNumber: target.body.walletNumber, amount: '1.00', pin: '2580' };
    // The gateway that served the suspension forgets the user's cached sessions at once.
    const refused = await cat.api.post('/v1/transfers', transfer);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'FORBIDDEN', details: { reason: 'ACCOUNT_SUSPENDED' } });
    expect((await cat.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '1.00' })).status).toBe(403);
    expect((await cat.api.post(`/v1/wallets/${wallet.body.id}/withdrawals`, { amount: '1.00', pin: '2580' })).status).toBe(403);
    expect(
      (await cat.api.post('/v1/payments', { walletId: wallet.body.id, amount: '1.00', merchantName: 'Shop', merchantCategory: 'shopping', pin: '2580' }))
        .status,
    ).toBe(403);
    // The user's API keys cannot move money either, but can still read.
    const byKey = await api.request('POST', '/v1/transfers', transfer, { 'X-API-Key': key.key, 'Idempotency-Key': randomUUID() });
    expect(byKey.status).toBe(403);
    expect((await api.request('GET', '/v1/wallets', undefined, { 'X-API-Key': key.key })).status).toBe(200);
    // Logging in and reading still work.
    const login = await api.post('/v1/auth/login', { email: cat.email, password: cat.password }, null);
    expect(login.status).toBe(200);
    expect(login.body.user.status).toBe('suspended');
    expect((await cat.api.get(`/v1/wallets/${wallet.body.id}/balance`)).body.balance).toBe('20.00');

    expect((await admin.post(`/v1/admin/users/${cat.userId}/activate`, {}, null)).body.status).toBe('active');
    const sent = await cat.api.post('/v1/transfers', transfer);
    expect([201, 202]).toContain(sent.status);
    const kinds = (await securityEvents(cat.userId)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['user_suspended', 'user_activated']));
  });

  it('grants and removes roles; the admin role opens admin routes', async () => {
    const eve = await signUpUser(api, 'eve');
    // Admin and auditor need a second factor: refused until eve has TOTP.
    const early = await admin.post(`/v1/admin/users/${eve.userId}/roles`, { roles: ['admin'] }, null);
    expect(early.status).toBe(409);
    expect(early.body.details).toEqual({ reason: 'MFA_NOT_ENROLLED' });
    const { secret } = await enrolTotp(eve);
    const eveWithCode = await signInWithTotp(api, eve, secret);
    const granted = await admin.post(`/v1/admin/users/${eve.userId}/roles`, { roles: ['admin', 'auditor'] }, null);
    expect(granted.status).toBe(200);
    expect(granted.body.roles).toEqual(['user', 'admin', 'auditor']);
    expect((await eveWithCode.get('/v1/admin/users')).status).toBe(200);
    // Her password-only session never holds the admin role.
    expect((await eve.api.get('/v1/admin/users')).status).toBe(403);
    expect((await admin.post(`/v1/admin/users/${eve.userId}/roles`, { roles: ['user'] }, null)).body.roles).toEqual(['user']);
    expect((await eveWithCode.get('/v1/admin/users')).status).toBe(403);
    expect((await admin.post(`/v1/admin/users/${eve.userId}/roles`, { roles: ['root'] }, null)).status).toBe(400);
    expect((await admin.post(`/v1/admin/users/${eve.userId}/roles`, { roles: [] }, null)).status).toBe(400);
    expect((await admin.post(`/v1/admin/users/${eve.userId}/roles`, {}, null)).status).toBe(400);
  });

  it('answers 404 for an unknown user and 400 for a bad id; an admin cannot suspend themself', async () => {
    expect((await admin.post(`/v1/admin/users/${randomUUID()}/suspend`, {}, null)).status).toBe(404);
    expect((await admin.post(`/v1/admin/users/${randomUUID()}/roles`, { roles: ['user'] }, null)).status).toBe(404);
    expect((await admin.post('/v1/admin/users/not-a-uuid/suspend', {}, null)).status).toBe(404);
    const me = await admin.get('/v1/me');
    expect((await admin.post(`/v1/admin/users/${me.body.id}/suspend`, {}, null)).status).toBe(403);
  });
});
