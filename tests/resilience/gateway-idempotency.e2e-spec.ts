import { randomUUID } from 'node:crypto';
import { ApiClient, ApiResponse, StackControl, waitFor } from '@tally/testing';
import { GATEWAY_URL, STACK_CONTROL_URL, STACK_ENV } from '../stack-env';

/**
 * Idempotency-Key when processes die: the gateway's records survive its own kill -9 and restart
 * (gateway.idempotency_records in Postgres), and a money command whose outcome the gateway could
 * not learn (the ledger stopped) answers 503 within COMMAND_TIMEOUT_MS and is retried safely with
 * the same key once the ledger is back: one effect.
 */
describe('Idempotency-Key across a gateway restart and a ledger outage', () => {
  const api = new ApiClient(GATEWAY_URL);
  const control = new StackControl(STACK_CONTROL_URL);

  const serving = () =>
    waitFor(
      async () => {
        const email = `idem-probe-${randomUUID().slice(0, 8)}@example.com`;
        const res = await api.post('/v1/auth/register', { email, password: 'correct horse 9', fullName: 'Probe' }, null).catch(() => undefined);
        return res?.status === 201 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what: 'the stack to serve commands' },
    );

  async function user(name: string): Promise<ApiClient> {
    const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
    expect((await api.post('/v1/auth/register', { email, password: 'correct horse 9', fullName: name }, null)).status).toBe(201);
    const login = await api.post('/v1/auth/login', { email, password: 'correct horse 9' }, null);
    expect(login.status).toBe(200);
    return api.as(login.body.accessToken);
  }

  beforeAll(serving, 150_000);

  it('remembers every key after the gateway is killed (SIGKILL) and started again', async () => {
    const ann = await user('restart');
    const walletKey = randomUUID();
    const depositKey = randomUUID();
    const wallet = await ann.post('/v1/wallets', { currency: 'USD', pin: '2580' }, walletKey);
    expect(wallet.status).toBe(201);
    const deposit = await ann.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '10.00' }, depositKey);
    expect(deposit.status).toBe(201);

    await control.kill('gateway');
    await control.start('gateway');
    await serving();

    const walletAgain = await ann.post('/v1/wallets', { currency: 'USD', pin: '2580' }, walletKey);
    expect(walletAgain.status).toBe(201);
    expect(walletAgain.body).toEqual(wallet.body);
    expect(walletAgain.headers.get('idempotent-replayed')).toBe('true');
    const depositAgain = await ann.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '10.00' }, depositKey);
    expect(depositAgain.status).toBe(201);
    expect(depositAgain.body).toEqual(deposit.body);
    expect(depositAgain.headers.get('idempotent-replayed')).toBe('true');
    const reused = await ann.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '20.00' }, depositKey);
    expect(reused.status).toBe(409);
    expect(reused.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await ann.get(`/v1/wallets/${wallet.body.id}/balance`)).body).toMatchObject({ balance: '10.00' });
  });

  it('answers 503 (never hangs) while the ledger is down; the same key after it is back has one effect', async () => {
    const ann = await user('outage');
    const bob = await user('outage-payee');
    const wallet = (await ann.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body;
    const payee = (await bob.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body;
    expect((await ann.post(`/v1/wallets/${wallet.id}/deposits`, { amount: '50.00' })).status).toBe(201);

    await control.kill('ledger');
    const depositKey = randomUUID();
    const transferKey = randomUUID();
    const deposit = () => ann.post(`/v1/wallets/${wallet.id}/deposits`, { amount: '5.00' }, depositKey);
    const transfer = () => ann.post('/v1/transfers', { fromWalletId: wallet.id, toWalletNumber: payee.walletNumber, amount: '3.00', pin: '2580' }, transferKey);
    const bound = Number(STACK_ENV.COMMAND_TIMEOUT_MS) + 3_000;
    const times: number[] = [];
    for (const send of [deposit, transfer, deposit]) {
      const started = Date.now();
      const res = await send();
      const took = Date.now() - started;
      times.push(took);
      expect({ status: res.status, error: res.body?.error, inTime: took < bound }).toEqual({ status: 503, error: 'SERVICE_UNAVAILABLE', inTime: true });
      expect(res.body.message).toContain('Idempotency-Key');
    }

    console.log(`ledger down: deposit, transfer, deposit answered 503 after ${times.join(', ')} ms (COMMAND_TIMEOUT_MS ${STACK_ENV.COMMAND_TIMEOUT_MS})`);
    await control.start('ledger');
    const backAt = Date.now();
    const depositDone = await untilDefinite(deposit);
    const transferDone = await untilDefinite(transfer);
    console.log(`ledger back: the retried deposit and transfer got definite answers ${Date.now() - backAt} ms after it reported ready`);
    expect(depositDone.status).toBe(201);
    expect([201, 202]).toContain(transferDone.status);
    expect((await deposit()).body.id).toBe(depositDone.body.id);

    // One deposit and one transfer, whatever the ledger found queued for it when it came back.
    const deposits = (await ann.get(`/v1/transactions?walletId=${wallet.id}&type=deposit`)).body;
    expect(deposits.items.map((t: { amount: string }) => t.amount).sort()).toEqual(['5.00', '50.00']);
    const transfers = (await ann.get(`/v1/transactions?walletId=${wallet.id}&type=transfer_out`)).body;
    expect(transfers.items.map((t: { id: string }) => t.id)).toEqual([transferDone.body.id]);
    await waitFor(
      async () => {
        const balance = (await ann.get(`/v1/wallets/${wallet.id}/balance`)).body;
        return balance.pending === '0.00' ? balance : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the transfer to settle' },
    );
    // 50 + 5 - (3 + 0.50 fee)
    expect((await ann.get(`/v1/wallets/${wallet.id}/balance`)).body).toMatchObject({ balance: '51.50' });
  });
});

/** 503 means "outcome unknown": send the same request (same key) again until the answer is definite. */
async function untilDefinite(send: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const res = await send().catch(() => undefined);
    if (res && res.status !== 503) return res;
    if (Date.now() > deadline) throw new Error('no definite answer within 180 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}
