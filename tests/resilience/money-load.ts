import { randomUUID } from 'node:crypto';
import { ApiClient, ApiResponse } from '@tally/testing';

/** A user with one USD wallet (PIN 1234), as the load of the resilience specs makes them. */
export interface LoadClient {
  api: ApiClient;
  userId: string;
  walletId: string;
  walletNumber: string;
}

/** One command a client sent: every attempt (with its answer's status, 0 for no answer) until a definite one. */
export interface SentCommand {
  kind: string;
  key: string;
  attempts: { started: number; ended: number; status: number }[];
  transactionId?: string;
  status?: number;
}

export async function newLoadClient(api: ApiClient, name: string): Promise<LoadClient> {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
  const registered = await api.post('/v1/auth/register', { email, password: 'correct horse 9', fullName: `Load Tester ${name}` }, null);
  expect(registered.status).toBe(201);
  const login = await api.post('/v1/auth/login', { email, password: 'correct horse 9' }, null);
  expect(login.status).toBe(200);
  const user = api.as(login.body.accessToken);
  const wallet = await user.post('/v1/wallets', { currency: 'USD', pin: '2580' });
  expect(wallet.status).toBe(201);
  return { api: user, userId: registered.body.id, walletId: wallet.body.id, walletNumber: wallet.body.walletNumber };
}

/**
 * Sends until the answer is definite: 201/202 acknowledges; 503 (a service did not answer in time)
 * and a dropped or refused connection mean "unknown", so the same request goes again with the same
 * key (`send(attempt)` may pick another gateway, as a load balancer would). Anything else fails.
 */
export async function untilDefinite(send: (attempt: number) => Promise<ApiResponse>, command: SentCommand, timeoutMs = 180_000): Promise<ApiResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const started = Date.now();
    const res = await send(command.attempts.length).catch(() => undefined);
    command.attempts.push({ started, ended: Date.now(), status: res?.status ?? 0 });
    if (res && (res.status === 201 || res.status === 202)) return res;
    if (res && res.status !== 503) throw new Error(`${command.kind} ${command.key} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (Date.now() > deadline) throw new Error(`${command.kind} ${command.key} got no definite answer in ${command.attempts.length} attempts`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function usd(minor: bigint): string {
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
