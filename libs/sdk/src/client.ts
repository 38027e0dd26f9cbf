import { randomUUID } from 'node:crypto';
import createClient, { Client } from 'openapi-fetch';
import type { components, operations, paths } from './api-schema';

/** Every path, method, parameter, body and answer of Tally's REST API v1, as the gateway serves them. */
export type TallyPaths = paths;
export type TallyOperations = operations;
/** A schema of the API by name: `Schema<'Transaction'>`, `Schema<'TransferDto'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
export type TallyClient = Client<paths>;

export interface TallyClientOptions {
  /** The gateway, e.g. https://api.example.com (paths start with /v1). */
  baseUrl: string;
  /** A person's access token from POST /v1/auth/login (Authorization: Bearer). */
  accessToken?: string;
  /** A partner's or service's scoped key (X-API-Key), instead of a token. */
  apiKey?: string;
  /** Another fetch (tests, retries, a proxy). */
  fetch?: typeof fetch;
}

/**
 * A typed client of the REST API (openapi-fetch over the types openapi-typescript generates from the
 * served OpenAPI document; `npm run docs` regenerates them and CI checks they are current):
 *
 * ```ts
 * const tally = createTallyClient({ baseUrl: 'https://api.example.com', accessToken });
 * const { data, error, response } = await tally.POST('/v1/transfers', {
 *   params: { header: { 'Idempotency-Key': idempotencyKey() } },
 *   body: { fromWalletId, toWalletNumber: 'WA202612020042', amount: '25.00', pin: '2580' },
 * });
 * // response.status 201: completed, 202: pending (poll GET /v1/transactions/{id}); error: the api-v1 error body
 * ```
 */
export function createTallyClient(options: TallyClientOptions): TallyClient {
  const headers: Record<string, string> = {};
  if (options.accessToken) headers.Authorization = `Bearer ${options.accessToken}`;
  if (options.apiKey) headers['X-API-Key'] = options.apiKey;
  return createClient<paths>({ baseUrl: options.baseUrl, headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
}

/** A new Idempotency-Key: send one with every POST that creates something or moves money, and the same one on a retry. */
export function idempotencyKey(): string {
  return randomUUID();
}
