import { randomUUID } from 'node:crypto';
import { ApiClient, ApiResponse, daytimeZone, waitFor } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * Withdrawals and purchases over HTTP through the gateway, the ledger (which holds them), fraud
 * (which approves them) and back; a purchase in another currency is converted at the stored rate
 * (1 USD = 4.70 MYR); analytics and notification see the completed purchase.
 */
describe('withdrawals and payments through the gateway', () => {
  const api = new ApiClient(GATEWAY_URL);

  async function fundedWallet(user: ApiClient, currency: string, amount: string): Promise<string> {
    // In daytime: fraud's off-hours rule would otherwise score a night-time run 20.
    const wallet = await user.post('/v1/wallets', { currency, pin: '2580', timeZone: daytimeZone() });
    expect(wallet.status).toBe(201);
    expect((await user.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount })).status).toBe(201);
    return wallet.body.id;
  }

  /** 201 completed within the gateway's wait; on a slow machine a 202 pending that then completes. */
  async function completed(user: ApiClient, res: ApiResponse): Promise<Record<string, any>> {
    expect([201, 202]).toContain(res.status);
    expect(res.body.status).toBe(res.status === 201 ? 'completed' : 'pending');
    return waitFor(
      async () => {
        const now = await user.get(`/v1/transactions/${res.body.id}`);
        return now.body.status === 'completed' ? now.body : undefined;
      },
      { what: `transaction ${res.body.id} to complete` },
    );
  }

  it('withdraws to the funding source: completed, balance and daily spending updated', async () => {
    const ann = await signUp(api, 'ann');
    const walletId = await fundedWallet(ann, 'USD', '100.00');
    const res = await ann.post(`/v1/wallets/${walletId}/withdrawals`, { amount: '30.00', pin: '2580', description: 'rent' });
    const done = await completed(ann, res);
    expect(done).toMatchObject({ id: res.body.id, type: 'withdrawal', amount: '30.00', currency: 'USD', fee: '0.00', walletId, description: 'rent' });
    expect((await ann.get(`/v1/wallets/${walletId}/balance`)).body).toMatchObject({
      balance: '70.00',
      available: '70.00',
      pending: '0.00',
      dailySpent: '30.00',
    });
  });

  it('pays a merchant in the wallet currency and in another one, converted at 4.70 with the rate on the transaction', async () => {
    const bea = await signUp(api, 'bea');
    const walletId = await fundedWallet(bea, 'MYR', '200.00');

    const local = await bea.post('/v1/payments', {
      walletId,
      amount: '45.50',
      merchantName: 'Starbucks Pavilion KL',
      merchantCategory: 'food_beverage',
      pin: '2580',
    });
    expect(await completed(bea, local)).toMatchObject({
      type: 'purchase',
      amount: '45.50',
      currency: 'MYR',
      merchantName: 'Starbucks Pavilion KL',
      merchantCategory: 'food_beverage',
    });

    const abroad = await bea.post('/v1/payments', {
      walletId,
      amount: 10,
      currency: 'USD',
      merchantName: 'Amazon US',
      merchantCategory: 'shopping',
      pin: '2580',
    });
    const converted = await completed(bea, abroad);
    expect(converted).toMatchObject({
      type: 'purchase',
      amount: '47.00',
      currency: 'MYR',
      originalAmount: '10.00',
      originalCurrency: 'USD',
      fxRate: '4.70',
      merchantName: 'Amazon US',
    });
    expect((await bea.get(`/v1/wallets/${walletId}/balance`)).body).toMatchObject({ balance: '107.50', available: '107.50', dailySpent: '92.50' });

    const spending = await waitFor(
      async () => {
        const res = await bea.get('/v1/analytics/spending?groupBy=category&currency=MYR');
        return res.body.groups?.length === 2 ? res.body : undefined;
      },
      { what: 'analytics to project both purchases' },
    );
    expect(spending.groups).toEqual([
      { key: 'food_beverage', total: '45.50', count: 1 },
      { key: 'shopping', total: '47.00', count: 1 },
    ]);

    const notified = await waitFor(
      async () => {
        const res = await bea.get('/v1/me/notifications');
        return res.body.items?.some((n: { data: { transactionId: string } }) => n.data.transactionId === abroad.body.id) ? res.body : undefined;
      },
      { what: 'the payment notification' },
    );
    expect(notified.items.find((n: { data: { transactionId: string } }) => n.data.transactionId === abroad.body.id)).toMatchObject({
      title: 'Payment completed',
      body: 'You paid 10.00 USD (47.00 MYR) to Amazon US.',
    });
  });

  it('replays a payment for the same Idempotency-Key and refuses the key with another body', async () => {
    const cat = await signUp(api, 'cat');
    const walletId = await fundedWallet(cat, 'USD', '50.00');
    const body = { walletId, amount: '5.00', merchantName: 'Kiosk', merchantCategory: 'food', pin: '2580' };
    const key = randomUUID();
    const first = await cat.post('/v1/payments', body, key);
    await completed(cat, first);
    const again = await cat.post('/v1/payments', body, key);
    expect([201, 202]).toContain(again.status);
    expect(again.body.id).toBe(first.body.id);
    const reused = await cat.post('/v1/payments', { ...body, amount: '6.00' }, key);
    expect(reused.status).toBe(409);
    expect(reused.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await cat.get(`/v1/wallets/${walletId}/balance`)).body.balance).toBe('45.00');
  });

  it('answers bad input with 400 and the contract’s codes, and leaves the wallet untouched', async () => {
    const dan = await signUp(api, 'dan');
    const walletId = await fundedWallet(dan, 'USD', '20.00');
    const pay = (body: Record<string, unknown>, key: string | null = randomUUID()) =>
      dan.post('/v1/payments', { walletId, amount: '1.00', merchantName: 'Shop', merchantCategory: 'shopping', pin: '2580', ...body }, key);

    for (const amount of ['1.001', '0', '-5', 'ten', -5]) {
      const res = await pay({ amount });
      expect({ amount, status: res.status, error: res.body.error }).toEqual({ amount, status: 400, error: 'INVALID_AMOUNT' });
    }
    const tooPrecise = await dan.post(`/v1/wallets/${walletId}/withdrawals`, { amount: '0.001', pin: '2580' });
    expect(tooPrecise.status).toBe(400);
    expect(tooPrecise.body).toMatchObject({ error: 'INVALID_AMOUNT', path: `/v1/wallets/${walletId}/withdrawals` });

    const noCategory = await dan.post('/v1/payments', { walletId, amount: '1.00', merchantName: 'Shop', pin: '2580' });
    expect(noCategory.status).toBe(400);
    expect(noCategory.body.error).toBe('VALIDATION_FAILED');
    expect((await pay({ merchantCategory: 'Not A Slug' })).body.error).toBe('VALIDATION_FAILED');
    expect((await pay({ currency: 'usd' })).status).toBe(400);
    expect((await pay({}, null)).status).toBe(400);
    expect((await dan.post('/v1/wallets/not-a-uuid/withdrawals', { amount: '1.00', pin: '2580' })).status).toBe(404);

    const noRate = await pay({ currency: 'SGD' });
    expect(noRate.status).toBe(422);
    expect(noRate.body).toMatchObject({ error: 'CURRENCY_MISMATCH', details: { from: 'SGD', to: 'USD' } });
    const broke = await dan.post(`/v1/wallets/${walletId}/withdrawals`, { amount: '20.01', pin: '2580' });
    expect(broke.status).toBe(422);
    expect(broke.body.error).toBe('INSUFFICIENT_FUNDS');
    const wrongPin = await pay({ pin: '9182' });
    expect(wrongPin.status).toBe(422);
    expect(wrongPin.body.error).toBe('INVALID_PIN');

    expect((await dan.get(`/v1/wallets/${walletId}/balance`)).body).toMatchObject({ balance: '20.00', available: '20.00', pending: '0.00' });
  });

  it('answers 404 for someone else’s wallet, for a withdrawal and for a payment', async () => {
    const owner = await signUp(api, 'owner');
    const thief = await signUp(api, 'thief');
    const walletId = await fundedWallet(owner, 'USD', '10.00');
    const withdrawal = await thief.post(`/v1/wallets/${walletId}/withdrawals`, { amount: '1.00', pin: '2580' });
    expect(withdrawal.status).toBe(404);
    expect(withdrawal.body.error).toBe('NOT_FOUND');
    const payment = await thief.post('/v1/payments', { walletId, amount: '1.00', merchantName: 'Shop', merchantCategory: 'shopping', pin: '2580' });
    expect(payment.status).toBe(404);
    expect(payment.body.error).toBe('NOT_FOUND');
    expect((await api.post('/v1/payments', { walletId, amount: '1.00', merchantName: 'Shop', merchantCategory: 'shopping', pin: '2580' })).status).toBe(401);
    expect((await owner.get(`/v1/wallets/${walletId}/balance`)).body.balance).toBe('10.00');
  });
});
