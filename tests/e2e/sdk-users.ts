import { randomUUID } from 'node:crypto';
import { createTallyClient, idempotencyKey, TallyClient } from '@tally/sdk';
import { GATEWAY_URL } from '../stack-env';

/** The API without a token, through the SDK (libs/sdk), as an API consumer calls it. */
export const anonymous: TallyClient = createTallyClient({ baseUrl: GATEWAY_URL });

/** Registers a fresh user and logs in with the SDK; the client it returns carries the access token. */
export async function signUpWithSdk(name: string): Promise<TallyClient> {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse 42';
  const registered = await anonymous.POST('/v1/auth/register', { body: { email, password, fullName: `${name} Tester` } });
  expect(registered.response.status).toBe(201);
  const login = await anonymous.POST('/v1/auth/login', { body: { email, password } });
  expect(login.response.status).toBe(200);
  return createTallyClient({ baseUrl: GATEWAY_URL, accessToken: login.data?.accessToken });
}

/** The header every creating or money-moving POST takes. */
export function withKey(key = idempotencyKey()): { header: { 'Idempotency-Key': string } } {
  return { header: { 'Idempotency-Key': key } };
}
