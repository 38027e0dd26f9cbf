import { ApiClient } from '@tally/testing';
import { GATEWAY_URL } from '../stack-env';
import { securityEvents } from './emails';
import { signUpUser, SignedUpUser } from './sign-up';

/** PATCH /v1/me (api-v1 v1.1): the caller's name, contact and display settings. */
describe('account settings', () => {
  const api = new ApiClient(GATEWAY_URL);
  let siti: SignedUpUser;

  beforeAll(async () => {
    siti = await signUpUser(api, 'settings');
  });

  const patch = (who: SignedUpUser, body: unknown) => who.api.request('PATCH', '/v1/me', body);

  it('starts from the defaults, changes only the fields sent, and GET /v1/me shows the result', async () => {
    const before = (await siti.api.get('/v1/me')).body;
    expect(before).toMatchObject({ timeZone: 'UTC', defaultCurrency: null, language: 'en', theme: 'light' });

    const changed = await patch(siti, { timeZone: 'asia/kuala_lumpur', defaultCurrency: 'MYR', language: 'pt', theme: 'dark', phone: '+60 12-345 6789' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: siti.userId,
      email: siti.email,
      fullName: before.fullName,
      timeZone: 'Asia/Kuala_Lumpur',
      defaultCurrency: 'MYR',
      language: 'pt',
      theme: 'dark',
    });
    // The phone is masked in every answer, as at registration.
    expect(changed.body.phone).toMatch(/^\*+89$/);
    expect((await siti.api.get('/v1/me')).body).toEqual(changed.body);

    const renamed = await patch(siti, { fullName: 'Siti Aminah', defaultCurrency: null });
    expect(renamed.body).toMatchObject({ fullName: 'Siti Aminah', defaultCurrency: null, timeZone: 'Asia/Kuala_Lumpur', language: 'pt' });
    expect((await securityEvents(siti.userId)).filter((e) => e.kind === 'profile_updated')).toHaveLength(2);
  });

  it('answers 400 naming each bad field, and changes nothing', async () => {
    const before = (await siti.api.get('/v1/me')).body;
    const bad = await patch(siti, { timeZone: 'Mars/Olympus_Mons', defaultCurrency: 'XYZ', fullName: 'Valid Name' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      path: '/v1/me',
      details: { timeZone: expect.any(String), defaultCurrency: expect.any(String) },
    });
    expect((await patch(siti, { language: 'klingon' })).status).toBe(400);
    expect((await patch(siti, { fullName: '' })).status).toBe(400);
    expect((await patch(siti, { email: 'new@example.com' })).status).toBe(400);
    expect((await patch(siti, { roles: ['admin'] })).status).toBe(400);
    expect((await siti.api.get('/v1/me')).body).toEqual(before);
  });

  it("refuses another user's username with 409 and frees a username set to null", async () => {
    const taken = `taken_${siti.userId.slice(-8)}`;
    const other = await signUpUser(api, 'settings-other', { username: taken });
    const conflict = await patch(siti, { username: taken });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ error: 'CONFLICT', path: '/v1/me' });
    expect((await patch(other, { username: null })).body.username).toBeNull();
    expect((await patch(siti, { username: taken })).body.username).toBe(taken);
    // The new username logs in.
    const login = await api.post('/v1/auth/login', { username: taken, password: siti.password }, null);
    expect(login.status).toBe(200);
  });

  it('needs a signed-in user', async () => {
    const res = await api.request('PATCH', '/v1/me', { theme: 'dark' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('UNAUTHENTICATED');
  });
});
