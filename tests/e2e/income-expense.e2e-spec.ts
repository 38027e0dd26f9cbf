import { ApiClient, waitFor } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/** GET /v1/reports/income-expense (api-v1 v1.1; the seeds' income vs expense report) from analytics' projection. */
describe('income and expense report', () => {
  const api = new ApiClient(GATEWAY_URL);

  it('adds up completed credits and debits per month and per category, in one currency, for the caller only', async () => {
    const gus = await signUp(api, 'income-expense');
    const wallet = (await gus.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body.id;
    expect((await gus.post(`/v1/wallets/${wallet}/deposits`, { amount: '300.00' })).status).toBe(201);
    const paid = await gus.post('/v1/payments', { walletId: wallet, amount: '40.00', merchantName: 'Kedai', merchantCategory: 'groceries', pin: '2580' });
    expect([201, 202]).toContain(paid.status);
    const goal = (await gus.post('/v1/goals', { name: 'Trip', targetAmount: '100.00', currency: 'USD' })).body.id;
    expect((await gus.post(`/v1/goals/${goal}/contributions`, { fromWalletId: wallet, amount: '20.00', pin: '2580' })).status).toBe(201);
    expect((await gus.post(`/v1/goals/${goal}/withdrawals`, { toWalletId: wallet, amount: '5.00' })).status).toBe(201);

    const month = new Date().toISOString().slice(0, 7);
    const byMonth = await waitFor(
      async () => {
        const res = (await gus.get('/v1/reports/income-expense')).body;
        return res.totals?.transactionCount === 4 ? res : undefined;
      },
      { timeoutMs: 30_000, what: 'four transactions in the report' },
    );
    expect(byMonth).toMatchObject({
      currency: 'USD',
      groupBy: 'month',
      groups: [{ key: month, credits: '305.00', debits: '60.00', net: '245.00', transactionCount: 4 }],
      totals: { credits: '305.00', debits: '60.00', net: '245.00', transactionCount: 4 },
    });

    const byCategory = (await gus.get('/v1/reports/income-expense?groupBy=category&currency=USD')).body;
    expect(byCategory.groups.map((g: { key: string; credits: string; debits: string }) => [g.key, g.credits, g.debits])).toEqual([
      ['deposit', '300.00', '0.00'],
      ['goal_contribution', '0.00', '20.00'],
      ['goal_withdrawal', '5.00', '0.00'],
      ['groceries', '0.00', '40.00'],
    ]);
    // A range that ends before today's movements holds none of them.
    const before = (await gus.get('/v1/reports/income-expense?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z')).body;
    expect(before).toMatchObject({ groups: [], totals: { credits: '0.00', debits: '0.00', net: '0.00', transactionCount: 0 } });

    // Someone else sees none of it.
    const other = await signUp(api, 'income-expense-other');
    expect((await other.get('/v1/reports/income-expense?currency=USD')).body).toMatchObject({ groups: [], totals: { transactionCount: 0 } });
  });

  it('refuses a bad grouping, currency or range with 400', async () => {
    const hal = await signUp(api, 'income-expense-bad');
    for (const query of [
      'groupBy=day',
      'currency=usd',
      'currency=XYZ',
      'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      'from=yesterday',
      'from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      'walletId=x',
    ]) {
      const res = await hal.get(`/v1/reports/income-expense?${query}`);
      expect([query, res.status, res.body.error]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
    expect((await api.get('/v1/reports/income-expense')).status).toBe(401);
  });
});
