import { ApiClient, ApiResponse, waitFor } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/** PATCH and DELETE /v1/budgets/{id} (api-v1 v1.1). */
describe('changing and deleting budgets', () => {
  const api = new ApiClient(GATEWAY_URL);
  const body = { category: 'food_beverage', amount: '100.00', currency: 'USD', period: 'monthly', alertAt: [50, 80, 100] };
  const expectError = (res: ApiResponse, status: number, error: string) => expect([res.status, res.body?.error]).toEqual([status, error]);

  it('changes only the fields sent; the progress follows the new amount and the alerts re-arm against it', async () => {
    const dee = await signUp(api, 'budget-changes');
    const budget = (await dee.post('/v1/budgets', body)).body;
    const wallet = (await dee.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body;
    expect((await dee.post(`/v1/wallets/${wallet.id}/deposits`, { amount: '500.00' })).status).toBe(201);
    const pay = (amount: string) =>
      dee.post('/v1/payments', { walletId: wallet.id, amount, merchantName: 'Kedai', merchantCategory: 'food_beverage', pin: '2580' });
    expect([201, 202]).toContain((await pay('60.00')).status);
    const thresholds = async (n: number) =>
      waitFor(
        async () => {
          const found = (await dee.get('/v1/me/notifications')).body.items.filter((x: { type: string }) => x.type === 'budget.threshold');
          return found.length >= n ? found.map((x: { data: { threshold: number } }) => x.data.threshold).sort() : undefined;
        },
        { timeoutMs: 30_000, what: `${n} budget.threshold notifications` },
      );
    expect(await thresholds(1)).toEqual([50]);

    const changed = await dee.request('PATCH', `/v1/budgets/${budget.id}`, { amount: '200.00', alertAt: [25, 100] });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...budget, amount: '200.00', alertAt: [25, 100] });
    const progress = await waitFor(
      async () => {
        const res = (await dee.get(`/v1/budgets/${budget.id}/progress`)).body;
        return res.spent === '60.00' ? res : undefined;
      },
      { timeoutMs: 30_000, what: 'the spending in the budget' },
    );
    expect(progress).toMatchObject({ amount: '200.00', spent: '60.00', remaining: '140.00', percent: 30 });
    // The next debit counts against 200.00: 25 % has been passed, so it is announced now.
    expect([201, 202]).toContain((await pay('1.00')).status);
    expect(await thresholds(2)).toEqual([25, 50]);

    expect((await dee.request('PATCH', `/v1/budgets/${budget.id}`, { category: 'travel', period: 'yearly' })).body).toMatchObject({
      category: 'travel',
      period: 'yearly',
      amount: '200.00',
      currency: 'USD',
    });
  });

  it('refuses bad values, a currency change and other users, and changes nothing', async () => {
    const eve = await signUp(api, 'budget-changes-bad');
    const budget = (await eve.post('/v1/budgets', body)).body;
    for (const bad of [{ amount: '0' }, { amount: '1.001' }, { category: 'Food & drink!' }, { period: 'weekly' }, { alertAt: [80, 50] }, { currency: 'EUR' }]) {
      expect([JSON.stringify(bad), (await eve.request('PATCH', `/v1/budgets/${budget.id}`, bad)).status]).toEqual([JSON.stringify(bad), 400]);
    }
    const other = await signUp(api, 'budget-changes-other');
    expectError(await other.request('PATCH', `/v1/budgets/${budget.id}`, { amount: '1.00' }), 404, 'NOT_FOUND');
    expectError(await other.request('DELETE', `/v1/budgets/${budget.id}`), 404, 'NOT_FOUND');
    expect((await eve.get(`/v1/budgets/${budget.id}`)).body).toEqual(budget);
  });

  it('deletes a budget: 204, then it is gone from reads, lists and a second delete', async () => {
    const fay = await signUp(api, 'budget-delete');
    const kept = (await fay.post('/v1/budgets', body)).body;
    const gone = (await fay.post('/v1/budgets', { ...body, category: 'travel' })).body;
    expect((await fay.request('DELETE', `/v1/budgets/${gone.id}`)).status).toBe(204);
    expectError(await fay.get(`/v1/budgets/${gone.id}`), 404, 'NOT_FOUND');
    expectError(await fay.get(`/v1/budgets/${gone.id}/progress`), 404, 'NOT_FOUND');
    expectError(await fay.request('DELETE', `/v1/budgets/${gone.id}`), 404, 'NOT_FOUND');
    const list = (await fay.get('/v1/budgets')).body;
    expect([list.total, list.items.map((b: { id: string }) => b.id)]).toEqual([1, [kept.id]]);
  });
});
