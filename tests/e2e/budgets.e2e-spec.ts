import { randomUUID } from 'node:crypto';
import { ApiClient, ApiResponse, waitFor } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * Budgets over HTTP: analytics owns them and measures them against its projection of the ledger's
 * completed transactions; crossing an alertAt threshold reaches the owner as one in-app
 * notification (analytics.events → notification).
 */
describe('budgets through the gateway', () => {
  const api = new ApiClient(GATEWAY_URL);
  const body = { category: 'food_beverage', amount: '100.00', currency: 'USD', period: 'monthly', alertAt: [50, 80, 100] };

  function expectError(res: ApiResponse, status: number, code: string): void {
    expect({ status: res.status, error: res.body?.error }).toEqual({ status, error: code });
    expect(res.body).toMatchObject({ message: expect.any(String), path: expect.stringMatching(/^\/v1\/budgets/), requestId: expect.any(String) });
  }

  it('creates, lists and reads a budget; a retry with the same key answers the same budget', async () => {
    const ann = await signUp(api, 'ann');
    const key = randomUUID();
    const created = await ann.post('/v1/budgets', body, key);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), ...body });
    const again = await ann.post('/v1/budgets', body, key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(created.body.id);
    expectError(await ann.post('/v1/budgets', { ...body, amount: '200.00' }, key), 409, 'IDEMPOTENCY_KEY_REUSED');

    const list = await ann.get('/v1/budgets');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(list.body.items).toEqual([created.body]);
    expect((await ann.get(`/v1/budgets/${created.body.id}`)).body).toEqual(created.body);

    const now = new Date();
    const progress = await ann.get(`/v1/budgets/${created.body.id}/progress`);
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({
      spent: '0.00',
      remaining: '100.00',
      percent: 0,
      periodStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
      periodEnd: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
    });
    // alertAt defaults to 50, 80, 100; a JSON number amount is read as its decimal.
    const defaults = await ann.post('/v1/budgets', { category: 'travel', amount: 1500, currency: 'JPY', period: 'yearly' });
    expect(defaults.status).toBe(201);
    expect(defaults.body).toMatchObject({ amount: '1500', currency: 'JPY', period: 'yearly', alertAt: [50, 80, 100] });
  });

  it('measures spending in its category and currency, and notifies each threshold reached once', async () => {
    const bea = await signUp(api, 'bea');
    const budget = await bea.post('/v1/budgets', body);
    const wallet = await bea.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect((await bea.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '500.00' })).status).toBe(201);
    const pay = (amount: string, merchantCategory: string) =>
      bea.post('/v1/payments', { walletId: wallet.body.id, amount, merchantName: 'Kedai', merchantCategory, pin: '2580' });
    expect([201, 202]).toContain((await pay('55.00', 'food_beverage')).status);
    expect([201, 202]).toContain((await pay('30.00', 'food_beverage')).status);
    expect([201, 202]).toContain((await pay('99.00', 'travel')).status);

    const progress = await waitFor(
      async () => {
        const res = await bea.get(`/v1/budgets/${budget.body.id}/progress`);
        return res.body.spent === '85.00' ? res.body : undefined;
      },
      { timeoutMs: 30_000, what: 'spending of 85.00 in the budget' },
    );
    expect(progress).toMatchObject({ spent: '85.00', remaining: '15.00', percent: 85 });

    const alerts = await waitFor(
      async () => {
        const res = await bea.get('/v1/me/notifications');
        const found = res.body.items.filter((n: { type: string }) => n.type === 'budget.threshold');
        return found.length >= 2 ? found : undefined;
      },
      { timeoutMs: 30_000, what: 'two budget.threshold notifications' },
    );
    expect(alerts.map((n: { data: { threshold: number } }) => n.data.threshold).sort()).toEqual([50, 80]);
    expect(alerts[0].data).toMatchObject({ budgetId: budget.body.id, category: 'food_beverage', currency: 'USD' });
  });

  it('refuses bad input with api-v1 errors and creates nothing', async () => {
    const cid = await signUp(api, 'cid');
    const bad: [Record<string, unknown>, number, string][] = [
      [{ ...body, amount: '10.001' }, 400, 'INVALID_AMOUNT'],
      [{ ...body, amount: '0' }, 400, 'INVALID_AMOUNT'],
      [{ ...body, amount: '-5.00' }, 400, 'INVALID_AMOUNT'],
      [{ ...body, amount: '10.5', currency: 'JPY' }, 400, 'INVALID_AMOUNT'],
      [{ ...body, currency: 'XXX' }, 400, 'VALIDATION_FAILED'],
      [{ ...body, currency: 'usd' }, 400, 'VALIDATION_FAILED'],
      [{ ...body, category: 'Food & drink!' }, 400, 'VALIDATION_FAILED'],
      [{ ...body, category: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ ...body, period: 'weekly' }, 400, 'VALIDATION_FAILED'],
      [{ ...body, alertAt: [80, 50] }, 400, 'VALIDATION_FAILED'],
      [{ ...body, alertAt: [50, 50] }, 400, 'VALIDATION_FAILED'],
      [{ ...body, alertAt: [0, 50] }, 400, 'VALIDATION_FAILED'],
      [{ ...body, alertAt: [50, 101] }, 400, 'VALIDATION_FAILED'],
      [{ ...body, alertAt: [] }, 400, 'VALIDATION_FAILED'],
      [{ ...body, alertAt: [50.5] }, 400, 'VALIDATION_FAILED'],
      [{ ...body, owner: 'someone' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [input, status, code] of bad) expectError(await cid.post('/v1/budgets', input), status, code);
    expectError(await cid.post('/v1/budgets', body, null), 400, 'VALIDATION_FAILED');
    expect((await cid.get('/v1/budgets')).body.total).toBe(0);
    expectError(await cid.get('/v1/budgets?limit=0'), 400, 'VALIDATION_FAILED');
    expectError(await cid.get('/v1/budgets/not-a-uuid/progress'), 404, 'NOT_FOUND');
  });

  it("answers 404 for someone else's budget and 401 without a token", async () => {
    const dan = await signUp(api, 'dan');
    const eve = await signUp(api, 'eve');
    const danBudget = await dan.post('/v1/budgets', body);
    expect(danBudget.status).toBe(201);
    expectError(await eve.get(`/v1/budgets/${danBudget.body.id}`), 404, 'NOT_FOUND');
    expectError(await eve.get(`/v1/budgets/${danBudget.body.id}/progress`), 404, 'NOT_FOUND');
    expectError(await eve.get(`/v1/budgets/${randomUUID()}/progress`), 404, 'NOT_FOUND');
    expect((await eve.get('/v1/budgets')).body).toMatchObject({ items: [], total: 0 });
    expect((await api.get('/v1/budgets')).status).toBe(401);
    expect((await api.post('/v1/budgets', body)).status).toBe(401);
  });
});
