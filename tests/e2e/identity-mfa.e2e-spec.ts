import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { ApiClient, totpCode } from '@tally/testing';
import { GATEWAY_URL, STACK_ENV, TEST_DATABASE_URL } from '../stack-env';
import { securityEvents } from './emails';
import { enrolTotp, signInAdmin, signUpUser } from './sign-up';

const step = () => Math.floor(Date.now() / 30_000);

/** TOTP second factor (RFC 6238) with recovery codes; admin and auditor powers need it. */
describe('identity: second factor', () => {
  const api = new ApiClient(GATEWAY_URL);

  it('enrols TOTP (seed shown once as an otpauth URI), confirms it with a first code, and answers ten recovery codes', async () => {
    const ann = await signUpUser(api, 'ann');
    expect((await ann.api.get('/v1/me/mfa')).body).toEqual({
      totp: { enabled: false, pendingEnrolment: false, confirmedAt: null },
      recoveryCodesLeft: 0,
      requiredForRoles: false,
    });
    const enrolment = await ann.api.post('/v1/me/mfa/totp', {}, null);
    expect(enrolment.status).toBe(200);
    expect(enrolment.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.body.otpauthUri).toBe(`otpauth://totp/Tally:${encodeURIComponent(ann.email)}?secret=${enrolment.body.secret}&issuer=Tally`);
    expect((await ann.api.get('/v1/me/mfa')).body.totp).toMatchObject({ enabled: false, pendingEnrolment: true });

    const wrong = await ann.api.post('/v1/me/mfa/totp/confirm', { code: '000000' === totpCode(enrolment.body.secret) ? '111111' : '000000' }, null);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { code: expect.any(String) } });
    const confirmed = await ann.api.post('/v1/me/mfa/totp/confirm', { code: totpCode(enrolment.body.secret) }, null);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect((await ann.api.get('/v1/me/mfa')).body).toMatchObject({ totp: { enabled: true, pendingEnrolment: false }, recoveryCodesLeft: 10 });
    // A second enrolment would replace the authenticator silently: refused while TOTP is on.
    expect((await ann.api.post('/v1/me/mfa/totp', {}, null)).status).toBe(409);
    expect((await securityEvents(ann.userId)).map((e) => e.kind)).toEqual(expect.arrayContaining(['mfa_enrolment_started', 'mfa_enabled']));
  });

  it('signs in: without the code a clear 401 MFA_REQUIRED and nothing else; with it a session; each code works once', async () => {
    const bob = await signUpUser(api, 'bob');
    const { secret } = await enrolTotp(bob);
    const sessionsBefore = (await bob.api.get('/v1/me/sessions')).body.total;

    const withoutCode = await api.post('/v1/auth/login', { email: bob.email, password: bob.password }, null);
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body).toMatchObject({ error: 'UNAUTHENTICATED', details: { reason: 'MFA_REQUIRED' } });
    expect(Object.keys(withoutCode.body).sort()).toEqual(['details', 'error', 'message', 'path', 'requestId', 'timestamp']);
    expect((await bob.api.get('/v1/me/sessions')).body.total).toBe(sessionsBefore);
    // A wrong password never reaches the second factor (and says nothing about it).
    const wrongPassword = await api.post('/v1/auth/login', { email: bob.email, password: 'wrong password 1' }, null);
    expect(wrongPassword.body.details).toEqual({ reason: 'INVALID_CREDENTIALS' });

    const code = totpCode(secret, step());
    const signedIn = await api.post('/v1/auth/login', { email: bob.email, password: bob.password, totpCode: code }, null);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ secondFactor: 'totp', mfaEnrolmentRequired: false });
    const replayed = await api.post('/v1/auth/login', { email: bob.email, password: bob.password, totpCode: code }, null);
    expect(replayed.status).toBe(401);
    expect(replayed.body.details).toEqual({ reason: 'MFA_INVALID' });
    expect((await securityEvents(bob.userId)).map((e) => e.kind)).toEqual(expect.arrayContaining(['login_succeeded', 'mfa_failed']));
  });

  it('a recovery code signs in once in place of a TOTP code', async () => {
    const cat = await signUpUser(api, 'cat');
    const { recoveryCodes } = await enrolTotp(cat);
    const first = await api.post('/v1/auth/login', { email: cat.email, password: cat.password, recoveryCode: recoveryCodes[3].toLowerCase() }, null);
    expect(first.status).toBe(200);
    expect(first.body.secondFactor).toBe('recovery_code');
    const again = await api.post('/v1/auth/login', { email: cat.email, password: cat.password, recoveryCode: recoveryCodes[3] }, null);
    expect(again.status).toBe(401);
    expect(again.body.details).toEqual({ reason: 'MFA_INVALID' });
    expect((await cat.api.get('/v1/me/mfa')).body.recoveryCodesLeft).toBe(9);
    expect((await securityEvents(cat.userId)).map((e) => e.kind)).toContain('recovery_code_used');
    // New codes (with a current code) replace the old ones.
    const renewed = await cat.api.post('/v1/me/mfa/recovery-codes', { code: recoveryCodes[4] }, null);
    expect(renewed.status).toBe(200);
    expect((await api.post('/v1/auth/login', { email: cat.email, password: cat.password, recoveryCode: recoveryCodes[5] }, null)).status).toBe(401);
    expect((await cat.api.get('/v1/me/mfa')).body.recoveryCodesLeft).toBe(10);
  });

  it('TOTP can be turned off with a code; then the password alone signs in again', async () => {
    const dan = await signUpUser(api, 'dan');
    const { recoveryCodes } = await enrolTotp(dan);
    expect((await dan.api.post('/v1/me/mfa/totp/disable', { code: 'not a code' }, null)).status).toBe(400);
    expect((await dan.api.post('/v1/me/mfa/totp/disable', { code: recoveryCodes[0] }, null)).status).toBe(204);
    expect((await api.post('/v1/auth/login', { email: dan.email, password: dan.password }, null)).status).toBe(200);
    expect((await securityEvents(dan.userId)).map((e) => e.kind)).toContain('mfa_disabled');
  });

  it('the bootstrap admin needs its code: without it MFA_REQUIRED, with it the admin routes', async () => {
    const withoutCode = await api.post('/v1/auth/login', { email: STACK_ENV.TALLY_ADMIN_EMAIL, password: STACK_ENV.TALLY_ADMIN_PASSWORD }, null);
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.details).toEqual({ reason: 'MFA_REQUIRED' });
    expect(withoutCode.body.accessToken).toBeUndefined();
    const admin = await signInAdmin(api);
    expect((await api.as(admin.accessToken).get('/v1/admin/users')).status).toBe(200);
  });

  it('an admin without a second factor (from before TOTP) gets a user-only session until it enrols and signs in with a code', async () => {
    const eve = await signUpUser(api, 'eve');
    // Granted the old way, straight in the table: the API refuses admin to an account without TOTP.
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    await db.query(`UPDATE identity.users SET roles = ARRAY['user', 'admin'] WHERE id = $1`, [eve.userId]).finally(() => db.end());
    const login = await api.post('/v1/auth/login', { email: eve.email, password: eve.password }, null);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ secondFactor: null, mfaEnrolmentRequired: true, user: { roles: ['user', 'admin'] } });
    const passwordOnly = api.as(login.body.accessToken);
    expect((await passwordOnly.get('/v1/admin/users')).status).toBe(403);
    expect((await passwordOnly.get('/v1/me/mfa')).body.requiredForRoles).toBe(true);
    const { secret } = await enrolTotp({ ...eve, api: passwordOnly });
    const withCode = await api.post('/v1/auth/login', { email: eve.email, password: eve.password, totpCode: totpCode(secret) }, null);
    expect(withCode.status).toBe(200);
    expect((await api.as(withCode.body.accessToken).get('/v1/admin/users')).status).toBe(200);
    // The password-only session stays without admin powers.
    expect((await passwordOnly.get('/v1/admin/users')).status).toBe(403);
  });

  it('refuses access tokens without exp or iat (or with another sid) with 401, signed with the right key', async () => {
    const fay = await signUpUser(api, 'fay');
    // The test stack runs with the development JWT secret (its default).
    const jwt = new JwtService({ secret: 'tally-dev-only-jwt-secret-change-me-0123456789' });
    const claims = { sub: fay.userId, sid: fay.sessionId, roles: ['user'] };
    const good = jwt.sign(claims, { algorithm: 'HS256', issuer: 'tally', expiresIn: 300 });
    expect((await api.as(good).get('/v1/me')).status).toBe(200);
    const noExp = jwt.sign(claims, { algorithm: 'HS256', issuer: 'tally' });
    const noIat = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 300 }, { algorithm: 'HS256', issuer: 'tally', noTimestamp: true });
    const noSid = jwt.sign({ sub: fay.userId, roles: ['user'] }, { algorithm: 'HS256', issuer: 'tally', expiresIn: 300 });
    const otherSid = jwt.sign({ ...claims, sid: randomUUID() }, { algorithm: 'HS256', issuer: 'tally', expiresIn: 300 });
    for (const token of [noExp, noIat, noSid, otherSid]) {
      const res = await api.as(token).get('/v1/me');
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'UNAUTHENTICATED' });
    }
  });
});
