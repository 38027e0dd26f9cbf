import { waitFor } from '@tally/testing';
import { anonymous, signUpWithSdk, withKey } from './sdk-users';

/**
 * GET /v1/me/summary: balances, wallets and recent transactions from the ledger; the month's figures
 * from analytics (which trails the ledger by the event's trip, hence the wait). Per currency, never summed.
 * Through the SDK (libs/sdk), as an API consumer would call it.
 */
describe('GET /v1/me/summary', () => {
  it('sums balances per currency and the month per currency, with the newest transactions', async () => {
    const ann = await signUpWithSdk('ann');
    const open = async (currency: string) => (await ann.POST('/v1/wallets', { params: withKey(), body: { currency, pin: '2580' } })).data?.id as string;
    const usd1 = await open('USD');
    const usd2 = await open('USD');
    const eur = await open('EUR');
    for (const [id, amount] of [
      [usd1, '100.00'],
      [usd2, '20.50'],
      [eur, '50.00'],
    ]) {
      expect((await ann.POST('/v1/wallets/{id}/deposits', { params: { ...withKey(), path: { id } }, body: { amount } })).response.status).toBe(201);
    }
    const payment = await ann.POST('/v1/payments', {
      params: withKey(),
      body: { walletId: usd1, amount: '10.00', merchantName: 'Cafe', merchantCategory: 'food_beverage', pin: '2580' },
    });
    expect([201, 202]).toContain(payment.response.status);

    const summary = await waitFor(
      async () => {
        const { data, response } = await ann.GET('/v1/me/summary');
        expect(response.status).toBe(200);
        return data?.monthlySummary.transactionCount === 3 && data.totalBalances[1]?.balance === '110.50' ? data : undefined;
      },
      { timeoutMs: 30_000, what: 'the summary to include the payment' },
    );
    expect(summary.totalBalances).toEqual([
      { currency: 'EUR', balance: '50.00' },
      { currency: 'USD', balance: '110.50' },
    ]);
    expect(summary.walletCount).toBe(3);
    expect(summary.wallets.map((w) => w.id).sort()).toEqual([usd1, usd2, eur].sort());
    // The main currency is the first wallet's; every currency is in monthlySummaries.
    expect(summary.monthlySummary).toEqual({ currency: 'USD', credits: '120.50', debits: '10.00', net: '110.50', transactionCount: 3 });
    expect(summary.monthlySummaries).toEqual([
      { currency: 'EUR', credits: '50.00', debits: '0.00', net: '50.00', transactionCount: 1 },
      { currency: 'USD', credits: '120.50', debits: '10.00', net: '110.50', transactionCount: 3 },
    ]);
    expect(summary.recentTransactions).toHaveLength(4);
    expect(summary.recentTransactions[0]).toMatchObject({ id: payment.data?.id, type: 'purchase' });
    const times = summary.recentTransactions.map((t) => t.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('answers an empty summary for a user with no wallets, and 401 without a token', async () => {
    const bea = await signUpWithSdk('bea');
    const { data, response } = await bea.GET('/v1/me/summary');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      totalBalances: [],
      walletCount: 0,
      wallets: [],
      monthlySummary: { currency: 'USD', credits: '0.00', debits: '0.00', net: '0.00', transactionCount: 0 },
      monthlySummaries: [],
      recentTransactions: [],
    });
    const unauthenticated = await anonymous.GET('/v1/me/summary');
    expect(unauthenticated.response.status).toBe(401);
    expect(unauthenticated.error).toMatchObject({ error: 'UNAUTHENTICATED', path: '/v1/me/summary' });
  });
});
