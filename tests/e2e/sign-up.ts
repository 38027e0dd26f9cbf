import { randomUUID } from 'node:crypto';
import { ApiClient, logInWithTotp, SignedIn, totpCode } from '@tally/testing';
import { STACK_ENV } from '../stack-env';

/** Registers a fresh user and logs in; the client it returns carries the access token. */
export async function signUp(api: ApiClient, name: string): Promise<ApiClient> {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse 42';
  expect((await api.post('/v1/auth/register', { email, password, fullName: `${name} Tester` }, null)).status).toBe(201);
  const login = await api.post('/v1/auth/login', { email, password }, null);
  expect(login.status).toBe(200);
  return api.as(login.body.accessToken);
}

export interface SignedUpUser {
  api: ApiClient;
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

/** Like signUp, with what identity specs need: the credentials, ids and both tokens. */
export async function signUpUser(api: ApiClient, name: string, extra: { username?: string; phone?: string } = {}): Promise<SignedUpUser> {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse 42';
  const registered = await api.post('/v1/auth/register', { email, password, fullName: `${name} Tester`, ...extra }, null);
  expect(registered.status).toBe(201);
  const login = await api.post('/v1/auth/login', { email, password }, null);
  expect(login.status).toBe(200);
  const claims = JSON.parse(Buffer.from(login.body.accessToken.split('.')[1], 'base64url').toString());
  return {
    api: api.as(login.body.accessToken),
    userId: registered.body.id,
    email,
    password,
    accessToken: login.body.accessToken,
    refreshToken: login.body.refreshToken,
    sessionId: claims.sid,
  };
}

/** Signs in as the bootstrap admin the test stack creates, with its TOTP code (tests/stack-env.ts). */
export async function signInAdmin(api: ApiClient): Promise<SignedIn> {
  return logInWithTotp(api, { email: STACK_ENV.TALLY_ADMIN_EMAIL, password: STACK_ENV.TALLY_ADMIN_PASSWORD, totpSecret: STACK_ENV.TALLY_ADMIN_TOTP_SECRET });
}

/** A client signed in as the bootstrap admin. */
export async function logInAdmin(api: ApiClient): Promise<ApiClient> {
  return api.as((await signInAdmin(api)).accessToken);
}

/** Signs a user with TOTP in with password and code, as admins and auditors must. */
export async function signInWithTotp(api: ApiClient, user: { email: string; password: string }, secret: string): Promise<ApiClient> {
  return api.as((await logInWithTotp(api, { email: user.email, password: user.password, totpSecret: secret })).accessToken);
}

/** Turns TOTP on for a signed-up user (enrol, then confirm with a first code); the seed and the recovery codes. */
export async function enrolTotp(user: SignedUpUser): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrolment = await user.api.post('/v1/me/mfa/totp', {}, null);
  expect(enrolment.status).toBe(200);
  // The previous step's code (identity takes one step either side): the current one stays free for the next sign-in.
  const confirmed = await user.api.post('/v1/me/mfa/totp/confirm', { code: totpCode(enrolment.body.secret, Math.floor(Date.now() / 30_000) - 1) }, null);
  expect(confirmed.status).toBe(200);
  return { secret: enrolment.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
}

/** A merchant's system: a user with an API key that may refund purchases (refunds:write), the client sending it. */
export async function signUpMerchant(api: ApiClient, name = 'merchant'): Promise<ApiClient> {
  const owner = await signUp(api, name);
  const key = await owner.post('/v1/me/api-keys', { name: `${name} refunds`, scopes: ['refunds:write'] });
  expect(key.status).toBe(201);
  return api.withApiKey(key.body.key);
}
