import { ApiClient } from '@tally/testing';
import { GATEWAY_URL } from '../stack-env';
import { securityEvents } from './emails';
import { signUpUser } from './sign-up';

/** POST /v1/me/password (api-v1 v1.1): other sessions end, and API keys unless kept. */
describe('identity: password change', () => {
  const api = new ApiClient(GATEWAY_URL);

  it('needs the current password (counted like a failed login), then ends every other session and the API keys', async () => {
    const ann = await signUpUser(api, 'ann');
    const other = await api.post('/v1/auth/login', { email: ann.email, password: ann.password }, null);
    const elsewhere = api.as(other.body.accessToken);
    const key = await ann.api.post('/v1/me/api-keys', { name: 'ci', scopes: ['wallets:read'] });
    expect(key.status).toBe(201);
    const withKey = () => api.request<any>('GET', '/v1/wallets', undefined, { 'X-API-Key': key.body.key });
    expect((await withKey()).status).toBe(200);

    const wrong = await ann.api.post('/v1/me/password', { currentPassword: 'wrong password 1', newPassword: 'another horse 43' }, null);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'UNAUTHENTICATED', details: { reason: 'INVALID_CREDENTIALS' } });
    expect((await ann.api.get('/v1/me')).status).toBe(200);
    const weak = await ann.api.post('/v1/me/password', { currentPassword: ann.password, newPassword: 'onlyletters' }, null);
    expect(weak.status).toBe(400);

    expect((await ann.api.post('/v1/me/password', { currentPassword: ann.password, newPassword: 'another horse 43' }, null)).status).toBe(204);
    expect((await ann.api.get('/v1/me')).status).toBe(200);
    expect((await elsewhere.get('/v1/me')).status).toBe(401);
    expect((await api.post('/v1/auth/refresh', { refreshToken: other.body.refreshToken }, null)).status).toBe(401);
    expect((await withKey()).status).toBe(401);
    expect((await api.post('/v1/auth/login', { email: ann.email, password: ann.password }, null)).status).toBe(401);
    expect((await api.post('/v1/auth/login', { email: ann.email, password: 'another horse 43' }, null)).status).toBe(200);
    const kinds = (await securityEvents(ann.userId)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['reauthentication_failed', 'password_changed', 'api_key_revoked']));
  });

  it('keeps the API keys when asked (keepApiKeys: true), and refuses a body it does not know', async () => {
    const bob = await signUpUser(api, 'bob');
    const key = await bob.api.post('/v1/me/api-keys', { name: 'partner', scopes: ['wallets:read'] });
    expect((await bob.api.post('/v1/me/password', { currentPassword: bob.password, newPassword: 'another horse 43', keepApiKeys: true }, null)).status).toBe(
      204,
    );
    expect((await api.request<any>('GET', '/v1/wallets', undefined, { 'X-API-Key': key.body.key })).status).toBe(200);
    expect(
      (await bob.api.post('/v1/me/password', { currentPassword: 'another horse 43', newPassword: 'third horse 44', keepApiKeys: 'yes' }, null)).status,
    ).toBe(400);
    expect((await bob.api.post('/v1/me/password', { newPassword: 'third horse 44' }, null)).status).toBe(400);
    expect((await api.post('/v1/me/password', { currentPassword: 'another horse 43', newPassword: 'third horse 44' }, null)).status).toBe(401);
  });
});
