import { Actor, DomainError, TransactionView, uuidv7 } from '@tally/contracts';
import { ledgerBookProblems, recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { HARNESS_PIN, LedgerHarness } from '../testing/ledger-harness';

const URL = testDatabaseUrl('int_posting_kernel');

type Settled = PromiseSettledResult<unknown>;
const outcome = (s: Settled): string =>
  s.status === 'fulfilled' ? 'ok' : s.reason instanceof DomainError ? s.reason.code : `error: ${(s.reason as Error).message}`;

/**
 * The posting kernel against the real database: commands that arrive together are written in one
 * transaction, each keeps its own outcome, refusals leave only what they must (a counted PIN miss,
 * a limit announcement), and a batch the database refuses as a whole costs its commands a retry
 * one by one, never their outcomes.
 */
describe('posting kernel: one batch, each command its own outcome', () => {
  let ledger: LedgerHarness;

  beforeAll(async () => {
    await recreateDatabase(URL);
    // One lane: while the first command is written, all the others queue up for the next batch.
    ledger = await LedgerHarness.open(URL, 10, { COMMAND_BATCH_MAX: '64', COMMAND_BATCH_LANES: '1' });
  });

  afterAll(async () => {
    await ledger?.close();
  });

  const balance = async (owner: { actor: Actor; walletId: string }) => (await ledger.walletsService.balance(owner.actor, owner.walletId)).balance;
  const transfer = (from: { actor: Actor; walletId: string }, toWalletNumber: string, amount: string, key = uuidv7(), pin = HARNESS_PIN) =>
    ledger.transfers.execute(from.actor, { fromWalletId: from.walletId, toWalletNumber, amount, pin }, key);

  it('good commands, refusals, a replayed and a reused key, and a poison command in one batch', async () => {
    const ann = await ledger.fundedWallet('USD', '100.00');
    const bob = await ledger.fundedWallet('USD', '10.00');
    const cat = await ledger.fundedWallet('USD', '10.00');
    await ledger.lifecycle.changeStatus(cat.actor, cat.walletId, 'freeze');
    const dan = await ledger.walletsService.open({ userId: uuidv7(), roles: ['user'] }, { currency: 'USD', pin: HARNESS_PIN, dailyLimit: '5.00' }, uuidv7());
    const danActor = { userId: dan.userId, roles: ['user'] };
    await ledger.deposits.execute(danActor, { walletId: dan.id, amount: '50.00' }, uuidv7());

    const blocker = ledger.deposits.execute(ann.actor, { walletId: ann.walletId, amount: '1.00' }, uuidv7());
    const key = uuidv7();
    const batch: [string, Promise<unknown>][] = [
      ['transfer', transfer(ann, bob.walletNumber, '10.00', key)],
      ['same key, same request', transfer(ann, bob.walletNumber, '10.00', key)],
      ['same key, another request', transfer(ann, bob.walletNumber, '11.00', key)],
      ['insufficient funds', transfer(bob, ann.walletNumber, '50.00')],
      ['wrong PIN', transfer(ann, bob.walletNumber, '1.00', uuidv7(), '9182')],
      ['frozen wallet', transfer(cat, ann.walletNumber, '1.00')],
      [
        'over the daily limit',
        ledger.transfers.execute(danActor, { fromWalletId: dan.id, toWalletNumber: ann.walletNumber, amount: '6.00', pin: HARNESS_PIN }, uuidv7()),
      ],
      [
        'poison',
        ledger.kernel.submit({
          kind: 'poison',
          needs: {},
          decide: () => {
            throw new Error('a bug in a command');
          },
        }),
      ],
      ['deposit', ledger.deposits.execute(bob.actor, { walletId: bob.walletId, amount: '5.00' }, uuidv7())],
    ];
    await blocker;
    const settled = await Promise.allSettled(batch.map(([, p]) => p));
    expect(Object.fromEntries(batch.map(([name], i) => [name, outcome(settled[i])]))).toEqual({
      transfer: 'ok',
      'same key, same request': 'ok',
      'same key, another request': 'IDEMPOTENCY_KEY_REUSED',
      'insufficient funds': 'INSUFFICIENT_FUNDS',
      'wrong PIN': 'INVALID_PIN',
      'frozen wallet': 'WALLET_NOT_ACTIVE',
      'over the daily limit': 'LIMIT_EXCEEDED',
      poison: 'error: a bug in a command',
      deposit: 'ok',
    });
    const [first, replay] = settled.slice(0, 2).map((s) => (s as PromiseFulfilledResult<TransactionView>).value);
    expect(replay).toEqual(first);

    // Everything the batch wrote went in with one database transaction.
    const written: { xmin: string }[] = await ledger.db.query(
      `SELECT DISTINCT xmin::text FROM ledger.transactions WHERE id = $1 OR (wallet_id = $2 AND type = 'deposit' AND amount = 500)`,
      [first.id, bob.walletId],
    );
    expect(written).toHaveLength(1);
    // One transfer held, once; the refusals left only what they keep.
    expect(await ledger.db.query(`SELECT count(*)::int AS n FROM ledger.transactions WHERE type = 'transfer_out' AND wallet_id = $1`, [ann.walletId])).toEqual([
      { n: 1 },
    ]);
    expect((await ledger.wallets.findById(ann.walletId))?.failed_pin_attempts).toBe(1);
    expect(
      await ledger.db.query(
        `SELECT count(*)::int AS n FROM ledger.outbox WHERE payload->>'type' = 'wallet.limit_reached' AND payload->'data'->>'walletId' = $1`,
        [dan.id],
      ),
    ).toEqual([{ n: 1 }]);
    expect(await ledger.db.query(`SELECT count(*)::int AS n FROM ledger.idempotency_keys WHERE key = $1 AND response IS NOT NULL`, [key])).toEqual([{ n: 1 }]);
    expect(await ledger.db.query(`SELECT count(*)::int AS n FROM ledger.idempotency_keys WHERE response IS NULL`)).toEqual([{ n: 0 }]);

    await ledger.decide(first.id, 'approve');
    expect([await balance(ann), await balance(bob), await balance(cat)]).toEqual(['90.50', '25.00', '10.00']);
    expect(await ledgerBookProblems(ledger.db)).toEqual([]);
  });

  it('a batch the database refuses as a whole: each command runs again alone and keeps its own outcome', async () => {
    const eve = await ledger.fundedWallet('USD', '100.00');
    const fox = await ledger.fundedWallet('USD', '0.01');
    const blocker = ledger.deposits.execute(eve.actor, { walletId: eve.walletId, amount: '1.00' }, uuidv7());
    const good = [transfer(eve, fox.walletNumber, '1.00'), transfer(eve, fox.walletNumber, '2.00')];
    // Passes its own decision but not the database's guard: a posting to an account that has no balance row.
    const refusedByTheDatabase = ledger.kernel.submit({
      kind: 'unguarded',
      needs: {},
      decide: (ctx) => {
        const transactionId = uuidv7();
        ctx.writes.entry({ transactionId, kind: 'test', phase: 'posted' }, [
          { accountId: uuidv7(), direction: 'D', amount: 1n, currency: 'USD' },
          { accountId: uuidv7(), direction: 'C', amount: 1n, currency: 'USD' },
        ]);
        return transactionId;
      },
    });
    await blocker;
    const settled = await Promise.allSettled([...good, refusedByTheDatabase]);
    expect(settled.map(outcome)).toEqual(['ok', 'ok', expect.stringMatching(/foreign key|no balance row/)]);
    expect((await ledger.walletsService.balance(eve.actor, eve.walletId)).available).toBe('97.00');
    expect(await ledgerBookProblems(ledger.db)).toEqual([]);
  });
});
