import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ApiClient, daytimeZone, waitFor } from '@tally/testing';
import { GATEWAY_URL, TEST_DATABASE_URL } from '../stack-env';

/**
 * The thin slice through all six services over the real broker and database: register and log in
 * (identity), open wallets and move money (ledger), fraud approves the held transfer, analytics
 * sees the spend, notification tells the receiver.
 */
describe('walking skeleton through the gateway', () => {
  const api = new ApiClient(GATEWAY_URL);

  async function signUp(name: string): Promise<{ api: ApiClient; userId: string }> {
    const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'correct horse 42';
    const registered = await api.post('/v1/auth/register', { email, password, fullName: `${name} Tester` }, null);
    expect(registered.status).toBe(201);
    const login = await api.post('/v1/auth/login', { email, password }, null);
    expect(login.status).toBe(200);
    expect(login.body.tokenType).toBe('Bearer');
    return { api: api.as(login.body.accessToken), userId: registered.body.id };
  }

  it('moves money from Alice to Bob and every service sees it', async () => {
    const alice = await signUp('alice');
    const bob = await signUp('bob');

    // In daytime: fraud's off-hours rule would otherwise score a night-time run 20.
    const aliceWallet = await alice.api.post('/v1/wallets', { currency: 'USD', pin: '2580', timeZone: daytimeZone() });
    expect(aliceWallet.status).toBe(201);
    expect(aliceWallet.body.walletNumber).toMatch(/^WA\d{12}$/);
    const bobWallet = await bob.api.post('/v1/wallets', { currency: 'USD', pin: '7391' });
    expect(bobWallet.status).toBe(201);

    const deposit = await alice.api.post(`/v1/wallets/${aliceWallet.body.id}/deposits`, { amount: '100.00' });
    expect(deposit.status).toBe(201);
    expect(deposit.body).toMatchObject({ type: 'deposit', status: 'completed', amount: '100.00', currency: 'USD' });

    const transfer = await alice.api.post('/v1/transfers', {
      fromWalletId: aliceWallet.body.id,
      toWalletNumber: bobWallet.body.walletNumber,
      amount: '25.00',
      pin: '2580',
      description: 'lunch',
    });
    expect(transfer.status).toBe(201);
    // 0.2 % of 25.00 is 0.05, below the 0.50 minimum fee.
    expect(transfer.body).toMatchObject({ type: 'transfer_out', status: 'completed', amount: '25.00', fee: '0.50' });

    const aliceBalance = await alice.api.get(`/v1/wallets/${aliceWallet.body.id}/balance`);
    expect(aliceBalance.body).toMatchObject({ balance: '74.50', available: '74.50', pending: '0.00', dailySpent: '25.50' });
    const bobBalance = await bob.api.get(`/v1/wallets/${bobWallet.body.id}/balance`);
    expect(bobBalance.body).toMatchObject({ balance: '25.00', available: '25.00' });

    const spending = await waitFor(
      async () => {
        const res = await alice.api.get('/v1/analytics/spending?groupBy=category&currency=USD');
        return res.body.groups?.length > 0 ? res.body : undefined;
      },
      { what: 'analytics to project the transfer' },
    );
    expect(spending).toEqual({ currency: 'USD', groups: [{ key: 'transfer', total: '25.50', count: 1 }] });

    const received = await waitFor(
      async () => {
        const res = await bob.api.get('/v1/me/notifications?unread=true');
        return res.body.total > 0 ? res.body : undefined;
      },
      { what: 'the receiver notification' },
    );
    expect(received.items).toHaveLength(1);
    expect(received.items[0]).toMatchObject({
      type: 'transaction.completed',
      title: 'Money received',
      body: 'You received 25.00 USD.',
      readAt: null,
    });
    expect(received.items[0].data.transactionId).toBe(transfer.body.id);

    const read = await bob.api.post(`/v1/me/notifications/${received.items[0].id}/read`, {}, null);
    expect(read.status).toBe(204);
    expect((await bob.api.get('/v1/me/notifications?unread=true')).body.total).toBe(0);
  });

  it('hides one user’s wallets and transactions from another (404, not 403)', async () => {
    const owner = await signUp('owner');
    const stranger = await signUp('stranger');
    const wallet = await owner.api.post('/v1/wallets', { currency: 'EUR', pin: '1010' });
    const deposit = await owner.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: 10 });
    expect(deposit.status).toBe(201);

    for (const path of [`/v1/wallets/${wallet.body.id}`, `/v1/wallets/${wallet.body.id}/balance`, `/v1/transactions/${deposit.body.id}`]) {
      const res = await stranger.api.get(path);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('NOT_FOUND');
    }
    const theft = await stranger.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '1.00' });
    expect(theft.status).toBe(404);
    expect((await stranger.api.get('/v1/wallets')).body.items).toEqual([]);
  });

  it('answers bad input with the contract’s error format and leaves nothing half-written', async () => {
    const user = await signUp('careful');
    const wallet = await user.api.post('/v1/wallets', { currency: 'JPY', pin: '2468' });
    const tooPrecise = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '10.5' });
    expect(tooPrecise.status).toBe(400);
    expect(tooPrecise.body).toMatchObject({ error: 'INVALID_AMOUNT', path: `/v1/wallets/${wallet.body.id}/deposits` });
    expect(tooPrecise.body.requestId).toEqual(expect.any(String));
    expect(tooPrecise.body.timestamp).toEqual(expect.any(String));

    const noKey = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '10' }, null);
    expect(noKey.status).toBe(400);
    expect(noKey.body.error).toBe('VALIDATION_FAILED');

    const unknownField = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '10', admin: true });
    expect(unknownField.status).toBe(400);

    const transfer = (toWalletNumber: string, pin: string) =>
      user.api.post('/v1/transfers', { fromWalletId: wallet.body.id, toWalletNumber, amount: '5', pin });
    const unknownPayee = await transfer('WA000000000000', '2468');
    expect(unknownPayee.status).toBe(404);

    const other = await signUp('payee');
    const payeeWallet = await other.api.post('/v1/wallets', { currency: 'JPY', pin: '1357' });
    const broke = await transfer(payeeWallet.body.walletNumber, '2468');
    expect(broke.status).toBe(422);
    expect(broke.body.error).toBe('INSUFFICIENT_FUNDS');
    const wrongPin = await transfer(payeeWallet.body.walletNumber, '0000');
    expect(wrongPin.status).toBe(422);
    expect(wrongPin.body.error).toBe('INVALID_PIN');

    const balance = await user.api.get(`/v1/wallets/${wallet.body.id}/balance`);
    expect(balance.body).toMatchObject({ balance: '0', available: '0', pending: '0' });

    expect((await api.get('/v1/wallets')).status).toBe(401);
    expect((await api.as('not-a-token').get('/v1/wallets')).body.error).toBe('UNAUTHENTICATED');
  });

  it('replays a deposit with the same Idempotency-Key instead of paying twice', async () => {
    const user = await signUp('retry');
    const wallet = await user.api.post('/v1/wallets', { currency: 'KWD', pin: '8642' });
    const key = randomUUID();
    const first = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '1.250' }, key);
    const again = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '1.250' }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const reused = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '2.000' }, key);
    expect(reused.status).toBe(409);
    expect(reused.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await user.api.get(`/v1/wallets/${wallet.body.id}/balance`)).body.balance).toBe('1.250');
  });

  it('carries the request’s trace from the gateway through Kafka into the events it causes', async () => {
    const user = await signUp('traced');
    const wallet = await user.api.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    const deposit = await user.api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '3.00' });
    const traceId = deposit.headers.get('traceparent')?.split('-')[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      const rows = await db.query(`SELECT headers, payload FROM ledger.outbox WHERE payload->'data'->>'transactionId' = $1`, [deposit.body.id]);
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0].headers.traceparent.split('-')[1]).toBe(traceId);
      expect(rows.rows[0].payload.traceparent.split('-')[1]).toBe(traceId);
    } finally {
      await db.end();
    }
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await fetch(`${GATEWAY_URL}/health/live`)).status).toBe(200);
    const ready = await (await fetch(`${GATEWAY_URL}/health/ready`)).json();
    expect(ready).toEqual({ status: 'ready', checks: { database: { ok: true }, kafka: { ok: true }, consumers: { ok: true } } });
    const metrics = await (await fetch(`${GATEWAY_URL}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).toContain('service="gateway"');
  });
});
