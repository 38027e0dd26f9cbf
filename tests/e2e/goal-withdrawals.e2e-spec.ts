import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiClient, ApiResponse, ledgerBookProblems } from '@tally/testing';
import { GATEWAY_URL, TEST_DATABASE_URL } from '../stack-env';
import { signUp } from './sign-up';

/**
 * api-v1 v1.1 for goals: withdrawals back to a wallet (type goal_withdrawal), PATCH and DELETE (a
 * goal that holds money is emptied into a wallet first; a closed goal takes no more money).
 */
describe('goal withdrawals, changes and closing', () => {
  const api = new ApiClient(GATEWAY_URL);
  let db: DataSource;
  let ann: ApiClient;
  let walletId: string;
  let goalId: string;

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: TEST_DATABASE_URL }).initialize();
    ann = await signUp(api, 'goal-withdrawals');
    walletId = (await ann.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body.id;
    expect((await ann.post(`/v1/wallets/${walletId}/deposits`, { amount: '200.00' })).status).toBe(201);
    goalId = (await ann.post('/v1/goals', { name: 'Holiday', targetAmount: '1000.00', currency: 'USD' })).body.id;
    expect((await ann.post(`/v1/goals/${goalId}/contributions`, { fromWalletId: walletId, amount: '150.00', pin: '2580' })).status).toBe(201);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  const balance = async () => (await ann.get(`/v1/wallets/${walletId}/balance`)).body.balance;
  const saved = async () => (await ann.get(`/v1/goals/${goalId}`)).body.savedAmount;
  const expectError = (res: ApiResponse, status: number, error: string) => expect([res.status, res.body?.error]).toEqual([status, error]);

  it('moves money from the goal back to the wallet as one posted goal_withdrawal; a replay answers the same one', async () => {
    const key = randomUUID();
    const first = await ann.post(`/v1/goals/${goalId}/withdrawals`, { toWalletId: walletId, amount: '50.00' }, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ type: 'goal_withdrawal', status: 'completed', amount: '50.00', fee: '0.00', walletId });
    const again = await ann.post(`/v1/goals/${goalId}/withdrawals`, { toWalletId: walletId, amount: '50.00' }, key);
    expect([again.status, again.body.id]).toEqual([201, first.body.id]);
    expect([await saved(), await balance()]).toEqual(['100.00', '100.00']);
    const listed = (await ann.get(`/v1/transactions?type=goal_withdrawal&walletId=${walletId}`)).body.items;
    expect(listed.map((t: { id: string }) => t.id)).toEqual([first.body.id]);
  });

  it('never takes more than the goal holds, even when withdrawals race', async () => {
    const tooMuch = await ann.post(`/v1/goals/${goalId}/withdrawals`, { toWalletId: walletId, amount: '100.01' });
    expectError(tooMuch, 422, 'INSUFFICIENT_FUNDS');
    expect(tooMuch.body.details).toEqual({ available: '100.00' });
    const raced = await Promise.all(Array.from({ length: 5 }, () => ann.post(`/v1/goals/${goalId}/withdrawals`, { toWalletId: walletId, amount: '30.00' })));
    expect(raced.map((r) => r.status).sort()).toEqual([201, 201, 201, 422, 422]);
    expect([await saved(), await balance()]).toEqual(['10.00', '190.00']);
  });

  it("refuses another currency's wallet, another user's goal or wallet, and bad amounts", async () => {
    const eur = (await ann.post('/v1/wallets', { currency: 'EUR', pin: '2580' })).body.id;
    expectError(await ann.post(`/v1/goals/${goalId}/withdrawals`, { toWalletId: eur, amount: '1.00' }), 422, 'CURRENCY_MISMATCH');
    const bob = await signUp(api, 'goal-withdrawals-bob');
    const bobWallet = (await bob.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body.id;
    expectError(await bob.post(`/v1/goals/${goalId}/withdrawals`, { toWalletId: bobWallet, amount: '1.00' }), 404, 'NOT_FOUND');
    expectError(await ann.post(`/v1/goals/${goalId}/withdrawals`, { toWalletId: bobWallet, amount: '1.00' }), 404, 'NOT_FOUND');
    for (const amount of ['0', '-1.00', '1.001', 'ten']) {
      expect((await ann.post(`/v1/goals/${goalId}/withdrawals`, { toWalletId: walletId, amount })).status).toBe(400);
    }
    expect(await saved()).toBe('10.00');
  });

  it('changes the name, target and deadline; refuses bad values', async () => {
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-31`;
    const changed = await ann.request('PATCH', `/v1/goals/${goalId}`, { name: 'Japan', targetAmount: '20.00', deadline: nextYear });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: goalId, name: 'Japan', targetAmount: '20.00', savedAmount: '10.00', percent: 50, deadline: nextYear });
    expect((await ann.request('PATCH', `/v1/goals/${goalId}`, { deadline: null })).body.deadline).toBeNull();
    for (const bad of [{ targetAmount: '0' }, { name: '' }, { deadline: '2001-01-01' }, { currency: 'EUR' }]) {
      expect([JSON.stringify(bad), (await ann.request('PATCH', `/v1/goals/${goalId}`, bad)).status]).toEqual([JSON.stringify(bad), 400]);
    }
    expect((await ann.get(`/v1/goals/${goalId}`)).body).toMatchObject({ name: 'Japan', targetAmount: '20.00' });
  });

  it('closes a goal: one holding money needs a wallet to empty into; then it is gone and takes no more money', async () => {
    const refused = await ann.request('DELETE', `/v1/goals/${goalId}`);
    expectError(refused, 409, 'CONFLICT');
    expect(refused.body.details).toEqual({ savedAmount: '10.00' });

    const closed = await ann.request('DELETE', `/v1/goals/${goalId}?toWalletId=${walletId}`);
    expect(closed.status).toBe(200);
    expect(closed.body.goal).toMatchObject({ id: goalId, savedAmount: '0.00', closedAt: expect.any(String) });
    expect(closed.body.transaction).toMatchObject({ type: 'goal_withdrawal', amount: '10.00', walletId });
    expect(await balance()).toBe('200.00');

    expectError(await ann.get(`/v1/goals/${goalId}`), 404, 'NOT_FOUND');
    expect((await ann.get('/v1/goals')).body.items.map((g: { id: string }) => g.id)).not.toContain(goalId);
    expectError(await ann.post(`/v1/goals/${goalId}/contributions`, { fromWalletId: walletId, amount: '1.00', pin: '2580' }), 404, 'NOT_FOUND');
    expectError(await ann.request('DELETE', `/v1/goals/${goalId}`), 404, 'NOT_FOUND');
    // An empty goal closes without a wallet.
    const empty = (await ann.post('/v1/goals', { name: 'Spare', targetAmount: '5.00', currency: 'USD' })).body.id;
    expect((await ann.request('DELETE', `/v1/goals/${empty}`)).body).toMatchObject({ goal: { id: empty }, transaction: null });
  });

  it('the database refuses a balanced posting to a closed goal whatever the path, and the books stay balanced', async () => {
    const [{ goal, wallet }] = await db.query(
      `SELECT g.account_id AS goal, w.account_id AS wallet FROM ledger.goals g, ledger.wallets w WHERE g.id = $1 AND w.id = $2`,
      [goalId, walletId],
    );
    const entry = randomUUID();
    const attempt = db.transaction(async (manager) => {
      await manager.query(`INSERT INTO ledger.journal_entries (id, transaction_id, kind, phase) VALUES ($1, $2, 'goal_contribution', 'posted')`, [
        entry,
        randomUUID(),
      ]);
      await manager.query(
        `INSERT INTO ledger.postings (entry_id, account_id, phase, direction, amount, currency) VALUES ($1, $2, 'posted', 'D', 100, 'USD'), ($1, $3, 'posted', 'C', 100, 'USD')`,
        [entry, wallet, goal],
      );
    });
    await expect(attempt).rejects.toThrow(/goal .* is closed/);
    expect(await ledgerBookProblems(db)).toEqual([]);
  });
});
