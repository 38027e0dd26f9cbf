import { randomUUID } from 'node:crypto';
import { ApiClient } from '@tally/testing';

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

/** Logs in as the bootstrap admin the test stack creates (tests/stack-env.ts). */
export async function logInAdmin(api: ApiClient): Promise<ApiClient> {
  const login = await api.post('/v1/auth/login', { email: 'admin@tally.test', password: 'tally-admin-test-1' }, null);
  expect(login.status).toBe(200);
  return api.as(login.body.accessToken);
}
