import { ApiClient, waitFor } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * GET /v1/me/summary: balances, wallets and recent transactions from the ledger; the month's figures
 * from analytics (which trails the ledger by the event's trip, hence the wait). Per currency, never summed.
 */
describe('GET /v1/me/summary', () => {
  const api = new ApiClient(GATEWAY_URL);

  it('sums balances per currency and the month per currency, with the newest transactions', async () => {
    const ann = await signUp(api, 'ann');
    const usd1 = await ann.post('/v1/wallets', { currency: 'USD', pin: '1234' });
    const usd2 = await ann.post('/v1/wallets', { currency: 'USD', pin: '1234' });
    const eur = await ann.post('/v1/wallets', { currency: 'EUR', pin: '1234' });
    expect((await ann.post(`/v1/wallets/${usd1.body.id}/deposits`, { amount: '100.00' })).status).toBe(201);
    expect((await ann.post(`/v1/wallets/${usd2.body.id}/deposits`, { amount: '20.50' })).status).toBe(201);
    expect((await ann.post(`/v1/wallets/${eur.body.id}/deposits`, { amount: '50.00' })).status).toBe(201);
    const payment = await ann.post('/v1/payments', { walletId: usd1.body.id, amount: '10.00', merchantName: 'Cafe', merchantCategory: 'food_beverage', pin: '1234' });
    expect([201, 202]).toContain(payment.status);

    const summary = await waitFor(
      async () => {
        const res = await ann.get('/v1/me/summary');
        expect(res.status).toBe(200);
        return res.body.monthlySummary.transactionCount === 3 && res.body.totalBalances[1]?.balance === '110.50' ? res.body : undefined;
      },
      { timeoutMs: 30_000, what: 'the summary to include the payment' },
    );
    expect(summary.totalBalances).toEqual([
      { currency: 'EUR', balance: '50.00' },
      { currency: 'USD', balance: '110.50' },
    ]);
    expect(summary.walletCount).toBe(3);
    expect(summary.wallets.map((w: { id: string }) => w.id).sort()).toEqual([usd1.body.id, usd2.body.id, eur.body.id].sort());
    // The main currency is the first wallet's; every currency is in monthlySummaries.
    expect(summary.monthlySummary).toEqual({ currency: 'USD', credits: '120.50', debits: '10.00', net: '110.50', transactionCount: 3 });
    expect(summary.monthlySummaries).toEqual([
      { currency: 'EUR', credits: '50.00', debits: '0.00', net: '50.00', transactionCount: 1 },
      { currency: 'USD', credits: '120.50', debits: '10.00', net: '110.50', transactionCount: 3 },
    ]);
    expect(summary.recentTransactions).toHaveLength(4);
    expect(summary.recentTransactions[0]).toMatchObject({ id: payment.body.id, type: 'purchase' });
    const times = summary.recentTransactions.map((t: { createdAt: string }) => t.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('answers an empty summary for a user with no wallets, and 401 without a token', async () => {
    const bea = await signUp(api, 'bea');
    const res = await bea.get('/v1/me/summary');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      totalBalances: [],
      walletCount: 0,
      wallets: [],
      monthlySummary: { currency: 'USD', credits: '0.00', debits: '0.00', net: '0.00', transactionCount: 0 },
      monthlySummaries: [],
      recentTransactions: [],
    });
    expect((await api.get('/v1/me/summary')).status).toBe(401);
  });
});
