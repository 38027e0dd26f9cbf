import { randomUUID } from 'node:crypto';
import { ApiClient, ApiResponse, waitFor } from '@tally/testing';
import { logInAdmin, signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * Savings goals over HTTP: a goal is a ledger account of its owner; a contribution is one posted,
 * balanced entry from the owner's wallet to it, checked by the wallet's PIN and idempotent.
 */
describe('goals through the gateway', () => {
  const api = new ApiClient(GATEWAY_URL);
  const nextYear = `${new Date().getUTCFullYear() + 1}-06-30`;

  function expectError(res: ApiResponse, status: number, code: string): void {
    expect({ status: res.status, error: res.body?.error }).toEqual({ status, error: code });
    expect(res.body).toMatchObject({ message: expect.any(String), path: expect.stringMatching(/^\/v1\/goals/), requestId: expect.any(String) });
  }

  async function fundedWallet(user: ApiClient, currency: string, amount: string): Promise<string> {
    const wallet = await user.post('/v1/wallets', { currency, pin: '2580' });
    expect(wallet.status).toBe(201);
    expect((await user.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount })).status).toBe(201);
    return wallet.body.id;
  }

  it('creates a goal, takes contributions from a wallet as balanced entries, and shows the progress', async () => {
    const ann = await signUp(api, 'ann');
    const walletId = await fundedWallet(ann, 'USD', '200.00');
    const key = randomUUID();
    const goal = await ann.post('/v1/goals', { name: 'Holiday', targetAmount: '500.00', currency: 'USD', deadline: nextYear }, key);
    expect(goal.status).toBe(201);
    expect(goal.body).toMatchObject({
      id: expect.any(String),
      name: 'Holiday',
      currency: 'USD',
      targetAmount: '500.00',
      savedAmount: '0.00',
      percent: 0,
      deadline: nextYear,
    });
    expect((await ann.post('/v1/goals', { name: 'Holiday', targetAmount: '500.00', currency: 'USD', deadline: nextYear }, key)).body.id).toBe(goal.body.id);

    const contributionKey = randomUUID();
    const contribution = await ann.post(`/v1/goals/${goal.body.id}/contributions`, { fromWalletId: walletId, amount: '125.00', pin: '2580' }, contributionKey);
    expect(contribution.status).toBe(201);
    expect(contribution.body).toMatchObject({ type: 'goal_contribution', status: 'completed', amount: '125.00', currency: 'USD', fee: '0.00', walletId });
    // The same key and body: the same transaction, and the money moved once.
    const retry = await ann.post(`/v1/goals/${goal.body.id}/contributions`, { fromWalletId: walletId, amount: '125.00', pin: '2580' }, contributionKey);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(contribution.body.id);
    expectError(
      await ann.post(`/v1/goals/${goal.body.id}/contributions`, { fromWalletId: walletId, amount: '5.00', pin: '2580' }, contributionKey),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    // A JSON number amount; the goal then holds 150.00 of 500.00.
    expect((await ann.post(`/v1/goals/${goal.body.id}/contributions`, { fromWalletId: walletId, amount: 25, pin: '2580' })).status).toBe(201);

    expect((await ann.get(`/v1/wallets/${walletId}/balance`)).body).toMatchObject({
      balance: '50.00',
      available: '50.00',
      pending: '0.00',
      dailySpent: '0.00',
    });
    expect((await ann.get(`/v1/goals/${goal.body.id}`)).body).toMatchObject({ savedAmount: '150.00', percent: 30 });
    const list = await ann.get('/v1/goals');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: goal.body.id, savedAmount: '150.00', percent: 30 }] });
    expect((await ann.get(`/v1/transactions/${contribution.body.id}`)).body).toMatchObject({ type: 'goal_contribution', status: 'completed' });

    // 150.00 of 500.00 passed the 25 % milestone once: one goal.milestone notification.
    const milestones = await waitFor(
      async () => {
        const found = (await ann.get('/v1/me/notifications')).body.items.filter((n: { type: string }) => n.type === 'goal.milestone');
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000, what: 'a goal.milestone notification' },
    );
    expect(milestones).toHaveLength(1);
    expect(milestones[0].data).toMatchObject({ goalId: goal.body.id, milestone: 25, currency: 'USD', savedAmount: '125.00' });

    // More than the wallet holds: refused by the ledger's overdraft check, nothing moves.
    const tooMuch = await ann.post(`/v1/goals/${goal.body.id}/contributions`, { fromWalletId: walletId, amount: '50.01', pin: '2580' });
    expectError(tooMuch, 422, 'INSUFFICIENT_FUNDS');
    expect((await ann.get(`/v1/wallets/${walletId}/balance`)).body.balance).toBe('50.00');

    // The books still balance per currency with the goal accounts in them.
    const trial = await (await logInAdmin(api)).get('/v1/admin/ledger/trial-balance');
    expect(trial.status).toBe(200);
    expect(trial.body.balanced).toBe(true);
  });

  it('refuses bad goals and bad contributions with api-v1 errors, moving nothing', async () => {
    const bea = await signUp(api, 'bea');
    const usd = await fundedWallet(bea, 'USD', '100.00');
    const eur = await fundedWallet(bea, 'EUR', '100.00');
    const good = { name: 'Bike', targetAmount: '300.00', currency: 'USD' };
    const badGoals: [Record<string, unknown>, number, string][] = [
      [{ ...good, name: '' }, 400, 'VALIDATION_FAILED'],
      [{ ...good, name: 'x'.repeat(101) }, 400, 'VALIDATION_FAILED'],
      [{ ...good, targetAmount: '0' }, 400, 'INVALID_AMOUNT'],
      [{ ...good, targetAmount: '1.001' }, 400, 'INVALID_AMOUNT'],
      [{ ...good, currency: 'XXX' }, 400, 'VALIDATION_FAILED'],
      [{ ...good, deadline: '2001-01-01' }, 400, 'VALIDATION_FAILED'],
      [{ ...good, deadline: '2030-02-30' }, 400, 'VALIDATION_FAILED'],
      [{ ...good, deadline: 'soon' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [input, status, code] of badGoals) expectError(await bea.post('/v1/goals', input), status, code);
    expectError(await bea.post('/v1/goals', good, null), 400, 'VALIDATION_FAILED');
    expect((await bea.get('/v1/goals')).body.total).toBe(0);

    const goal = await bea.post('/v1/goals', good);
    expect(goal.status).toBe(201);
    const contribute = (input: Record<string, unknown>, key: string | null = randomUUID()) => bea.post(`/v1/goals/${goal.body.id}/contributions`, input, key);
    expectError(await contribute({ fromWalletId: eur, amount: '10.00', pin: '2580' }), 422, 'CURRENCY_MISMATCH');
    expectError(await contribute({ fromWalletId: usd, amount: '10.00', pin: '9182' }), 422, 'INVALID_PIN');
    expectError(await contribute({ fromWalletId: usd, amount: '10.001', pin: '2580' }), 400, 'INVALID_AMOUNT');
    expectError(await contribute({ fromWalletId: usd, amount: '0', pin: '2580' }), 400, 'INVALID_AMOUNT');
    expectError(await contribute({ fromWalletId: usd, amount: '10.00' }), 400, 'VALIDATION_FAILED');
    expectError(await contribute({ fromWalletId: usd, amount: '10.00', pin: '2580' }, null), 400, 'VALIDATION_FAILED');
    expect((await bea.get(`/v1/wallets/${usd}/balance`)).body.balance).toBe('100.00');
    expect((await bea.get(`/v1/wallets/${eur}/balance`)).body.balance).toBe('100.00');
    expect((await bea.get(`/v1/goals/${goal.body.id}`)).body.savedAmount).toBe('0.00');
  });

  it("answers 404 for someone else's goal or wallet, and 401 without a token", async () => {
    const cid = await signUp(api, 'cid');
    const dan = await signUp(api, 'dan');
    const cidWallet = await fundedWallet(cid, 'USD', '100.00');
    const danWallet = await fundedWallet(dan, 'USD', '100.00');
    const cidGoal = await cid.post('/v1/goals', { name: 'Car', targetAmount: '1000.00', currency: 'USD' });
    const danGoal = await dan.post('/v1/goals', { name: 'Boat', targetAmount: '1000.00', currency: 'USD' });

    expectError(await dan.get(`/v1/goals/${cidGoal.body.id}`), 404, 'NOT_FOUND');
    expect((await dan.get('/v1/goals')).body.items.map((g: { id: string }) => g.id)).toEqual([danGoal.body.id]);
    // Into someone else's goal from one's own wallet; from someone else's wallet into one's own goal.
    expectError(await dan.post(`/v1/goals/${cidGoal.body.id}/contributions`, { fromWalletId: danWallet, amount: '10.00', pin: '2580' }), 404, 'NOT_FOUND');
    expectError(await dan.post(`/v1/goals/${danGoal.body.id}/contributions`, { fromWalletId: cidWallet, amount: '10.00', pin: '2580' }), 404, 'NOT_FOUND');
    expect((await cid.get(`/v1/wallets/${cidWallet}/balance`)).body.balance).toBe('100.00');
    expect((await dan.get(`/v1/wallets/${danWallet}/balance`)).body.balance).toBe('100.00');
    expect((await api.get('/v1/goals')).status).toBe(401);
  });
});
