import { Actor, DomainError, EventEnvelope, TransactionEventData, TransactionView, uuidv7 } from '@tally/contracts';
import { ledgerBookProblems, recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { booksFromBalances, outboxEvents, replayEvents } from '../properties/event-replay';
import { LedgerHarness } from '../testing/ledger-harness';
import { refusalOf } from '../testing/refusal';

const URL = process.env.TEST_LEDGER_GOALS_DATABASE_URL ?? testDatabaseUrl('analytics_ledger_goals');
const ADMIN: Actor = { userId: uuidv7(), roles: ['user', 'admin'] };
const REPLAY_NOW = { settleMs: 0, maxBacklog: Number.POSITIVE_INFINITY, chunkSize: 5 };

// Opening a wallet and checking a PIN use scrypt (slow on purpose).
jest.setTimeout(90_000);

/**
 * Goals against a real database through the ledger's handlers: a goal is an account of its user,
 * a contribution one posted entry from wallet to goal. Concurrent contributions never overdraw the
 * wallet, a key applies once however many times it races, the books stay sound, and folding the
 * events (live or replayed from the journal) rebuilds wallet and goal balances.
 */
describe('goals and contributions', () => {
  let ledger: LedgerHarness;

  beforeAll(async () => {
    await recreateDatabase(URL);
    ledger = await LedgerHarness.open(URL, 20);
  });

  afterAll(async () => {
    await ledger?.close();
  });

  const balanceOf = async (actor: Actor, walletId: string) => (await ledger.walletsService.balance(actor, walletId)).balance;

  it('concurrent contributions: each one is all or nothing, the wallet never goes below zero', async () => {
    const { actor, walletId } = await ledger.fundedWallet('USD', '100.00');
    const goal = await ledger.goals.create(actor, { name: 'Laptop', targetAmount: '1000.00', currency: 'USD' }, uuidv7());
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        ledger.goalContributions.execute(actor, { goalId: goal.id, fromWalletId: walletId, amount: '15.00', pin: '2580' }, uuidv7()),
      ),
    );
    const done = outcomes.filter((o) => o.status === 'fulfilled');
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(done).toHaveLength(6);
    expect(failed.map((f) => (f.reason as DomainError).code)).toEqual(Array(4).fill('INSUFFICIENT_FUNDS'));
    expect(await balanceOf(actor, walletId)).toBe('10.00');
    expect(await ledger.goals.get(actor, goal.id)).toMatchObject({ savedAmount: '90.00', percent: 9 });
    expect(await ledgerBookProblems(ledger.db)).toEqual([]);
  });

  it('the same Idempotency-Key raced five times moves the money once', async () => {
    const { actor, walletId } = await ledger.fundedWallet('JPY', '5000');
    const goal = await ledger.goals.create(actor, { name: 'Trip', targetAmount: '20000', currency: 'JPY' }, uuidv7());
    const key = uuidv7();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => ledger.goalContributions.execute(actor, { goalId: goal.id, fromWalletId: walletId, amount: '1500', pin: '2580' }, key)),
    );
    expect(new Set(results.map((r: TransactionView) => r.id)).size).toBe(1);
    expect(results[0]).toMatchObject({ type: 'goal_contribution', status: 'completed', amount: '1500', currency: 'JPY', goalId: goal.id });
    expect(await balanceOf(actor, walletId)).toBe('3500');
    expect((await ledger.goals.get(actor, goal.id)).savedAmount).toBe('1500');
    const entries = await ledger.db.query(`SELECT count(*)::int AS n FROM ledger.journal_entries WHERE kind = 'goal_contribution' AND transaction_id = $1`, [
      results[0].id,
    ]);
    expect(entries[0].n).toBe(1);
  });

  it('refuses a frozen wallet, another currency and another user, leaving nothing behind', async () => {
    const { actor, walletId } = await ledger.fundedWallet('USD', '50.00');
    const other = await ledger.fundedWallet('USD', '50.00');
    const eur = await ledger.fundedWallet('EUR', '50.00');
    const goal = await ledger.goals.create(actor, { name: 'Piano', targetAmount: '500.00', currency: 'USD' }, uuidv7());
    const contribute = (who: Actor, fromWalletId: string, goalId = goal.id) =>
      ledger.goalContributions.execute(who, { goalId, fromWalletId, amount: '5.00', pin: '2580' }, uuidv7());
    expect((await refusalOf(contribute(other.actor, other.walletId))).code).toBe('NOT_FOUND');
    expect((await refusalOf(contribute(actor, other.walletId))).code).toBe('NOT_FOUND');
    expect((await refusalOf(contribute(eur.actor, eur.walletId))).code).toBe('NOT_FOUND');
    const eurGoal = await ledger.goals.create(eur.actor, { name: 'Euro', targetAmount: '500.00', currency: 'USD' }, uuidv7());
    expect((await refusalOf(contribute(eur.actor, eur.walletId, eurGoal.id))).code).toBe('CURRENCY_MISMATCH');
    await ledger.lifecycle.changeStatus(actor, walletId, 'freeze');
    expect((await refusalOf(contribute(actor, walletId))).code).toBe('WALLET_NOT_ACTIVE');
    expect(await balanceOf(actor, walletId)).toBe('50.00');
    expect((await ledger.goals.get(actor, goal.id)).savedAmount).toBe('0.00');
  });

  it("announces goal.milestone at 25, 50, 75 and 100 % once each, in the contribution's transaction", async () => {
    const { actor, walletId } = await ledger.fundedWallet('USD', '500.00');
    const goal = await ledger.goals.create(actor, { name: 'Camera', targetAmount: '100.00', currency: 'USD' }, uuidv7());
    const contribute = (amount: string, key = uuidv7()) =>
      ledger.goalContributions.execute(actor, { goalId: goal.id, fromWalletId: walletId, amount, pin: '2580' }, key);
    const first = await contribute('30.00');
    await contribute('30.00');
    expect(first).toMatchObject({ type: 'goal_contribution', goalId: goal.id });
    await contribute('30.00');
    const key = uuidv7();
    await contribute('50.00', key);
    await contribute('50.00', key);
    await contribute('10.00');
    const milestones = (await outboxEvents(ledger.db))
      .filter((e) => e.type === 'goal.milestone' && (e.data as { goalId: string }).goalId === goal.id)
      .map((e) => e.data as { milestone: number; savedAmountMinor: string; targetAmountMinor: string });
    expect(milestones.map((m) => [m.milestone, m.savedAmountMinor])).toEqual([
      [25, '3000'],
      [50, '6000'],
      [75, '9000'],
      [100, '14000'],
    ]);
    expect((await ledger.goals.get(actor, goal.id)).percent).toBe(150);
  });

  it('folding the live events, and the journal replayed, rebuilds every wallet and goal balance', async () => {
    const live = await outboxEvents(ledger.db);
    const contributions = live.filter((e) => (e.data as TransactionEventData).type === 'goal_contribution');
    expect(contributions.length).toBe(12);
    expect(contributions.every((e) => typeof (e.data as TransactionEventData).goalId === 'string')).toBe(true);
    const books = await booksFromBalances(ledger.db);
    expect(books.goals.size).toBe(3);
    expect(replayEvents(live)).toEqual(books);

    const run = await ledger.replay.start(ADMIN, {}, uuidv7());
    for (let i = 0; i < 1000 && (await ledger.replay.get(ADMIN, run.id)).status === 'running'; i++) await ledger.replay.step(REPLAY_NOW);
    const replayed: EventEnvelope<unknown>[] = await outboxEvents(ledger.db, 'ledger.replay');
    expect(replayEvents(replayed)).toEqual(books);
    // The replayed contribution is the live event's twin (same id), so no projection applies it twice.
    const liveById = new Map(contributions.map((e) => [e.id, e]));
    const twins = replayed.filter((e) => liveById.has(e.id));
    expect(twins).toHaveLength(contributions.length);
    for (const twin of twins) expect({ ...twin, occurredAt: undefined }).toEqual({ ...liveById.get(twin.id), occurredAt: undefined, traceparent: undefined });
  });
});
