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
