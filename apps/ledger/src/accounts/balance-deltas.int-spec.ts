import { DataSource } from 'typeorm';
import { uuidv7 } from '@tally/contracts';
import { recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { verifyAllBalances } from '../reports/balance-verification';
import { LedgerHarness, HARNESS_PIN } from '../testing/ledger-harness';
import { walletFigures } from './accounts.repository';
import { BALANCE_FOLD_LOCK, foldBatch } from './balance-delta-folder.service';

const URL = process.env.TEST_LEDGER_DELTAS_DATABASE_URL ?? testDatabaseUrl('int_balance_deltas');

/**
 * Credits append balance deltas instead of locking balance rows; debits of a wallet fold them
 * under the row lock; a background fold folds the rest. These specs hold the locks by hand to show
 * who waits for whom, and check that the books read the same before and after every fold.
 */
describe('balance deltas', () => {
  let ledger: LedgerHarness;
  /** The schema owner: can take any lock and read every table. */
  let owner: DataSource;

  beforeAll(async () => {
    await recreateDatabase(URL);
    ledger = await LedgerHarness.open(URL, 12);
    owner = await new DataSource({ type: 'postgres', url: URL }).initialize();
  });

  afterAll(async () => {
    await ledger?.close();
    await owner?.destroy();
  });

  const accountOf = async (walletId: string): Promise<string> =>
    (await owner.query(`SELECT account_id FROM ledger.wallets WHERE id = $1`, [walletId]))[0].account_id;
  const figures = async (accountId: string) => walletFigures((await ledger.accounts.balances(ledger.db.manager, [accountId])).get(accountId));
  const deltaCount = async (accountId: string): Promise<number> =>
    (await owner.query(`SELECT count(*)::int AS n FROM ledger.balance_deltas WHERE account_id = $1`, [accountId]))[0].n;
  const allBalances = async () =>
    owner.query(`SELECT account_id, posted_debits, posted_credits, pending_debits, pending_credits FROM ledger.balances ORDER BY account_id`);

  it('a credit locks no balance row: a deposit lands while another transaction holds the wallet’s row', async () => {
    const { actor, walletId } = await ledger.fundedWallet('USD', '10.00');
    const accountId = await accountOf(walletId);
    const holder = owner.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`SELECT 1 FROM ledger.balance_rows WHERE account_id = $1 FOR UPDATE`, [accountId]);
      // Before deltas this deposit waited for the row (the test would time out here).
      await ledger.deposits.execute(actor, { walletId, amount: '5.00' }, uuidv7());
      expect(await deltaCount(accountId)).toBeGreaterThan(0);
      expect(await figures(accountId)).toEqual({ balance: 1500n, pending: 0n, available: 1500n });
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('a debit counts credits that are still deltas, and folds them into the row it locks', async () => {
    const payer = await ledger.fundedWallet('USD', '7.00');
    const payee = await ledger.fundedWallet('USD', '1.00');
    const payeeAccount = await accountOf(payee.walletId);
    // The payee has 1.00 in deltas only; a transfer in adds 5.00 more, also as deltas.
    const incoming = await ledger.transfers.execute(
      payer.actor,
      { fromWalletId: payer.walletId, toWalletNumber: payee.walletNumber, amount: '5.00', pin: HARNESS_PIN },
      uuidv7(),
    );
    await ledger.decide(incoming.id, 'approve');
    const rowBefore = (await owner.query(`SELECT posted_credits FROM ledger.balance_rows WHERE account_id = $1`, [payeeAccount]))[0];
    expect(rowBefore.posted_credits).toBe('0');
    expect(await deltaCount(payeeAccount)).toBeGreaterThan(0);

    // Spending all of it (6.00 less the 0.50 fee) is allowed: the debit sees the credits.
    const outgoing = await ledger.transfers.execute(
      payee.actor,
      { fromWalletId: payee.walletId, toWalletNumber: payer.walletNumber, amount: '5.50', pin: HARNESS_PIN },
      uuidv7(),
    );
    expect(outgoing.status).toBe('pending');
    expect(await deltaCount(payeeAccount)).toBe(0);
    const row = (await owner.query(`SELECT posted_credits, pending_debits FROM ledger.balance_rows WHERE account_id = $1`, [payeeAccount]))[0];
    expect(row).toEqual({ posted_credits: '600', pending_debits: '600' });
    // One cent more would overdraw: the CHECK on the folded row refuses it.
    await expect(
      ledger.transfers.execute(payee.actor, { fromWalletId: payee.walletId, toWalletNumber: payer.walletNumber, amount: '0.01', pin: HARNESS_PIN }, uuidv7()),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
  });

  it('a debit right after credits counts them while the fold runs beside it (lock the row, then fold)', async () => {
    const payer = await ledger.fundedWallet('USD', '0.01');
    const payee = await ledger.fundedWallet('USD', '1.00');
    let folding = true;
    const folder = (async () => {
      while (folding) {
        await ledger.balanceFolder.fold();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const refused: string[] = [];
    try {
      // Each round adds exactly what the transfer and its fee hold (from 0.01 available back to it),
      // so a credit the debit failed to count is a refusal.
      for (let round = 0; round < 60; round++) {
        for (const amount of ['6.00', '7.00']) await ledger.deposits.execute(payer.actor, { walletId: payer.walletId, amount }, uuidv7());
        const transfer = { fromWalletId: payer.walletId, toWalletNumber: payee.walletNumber, amount: '12.50' };
        await ledger.transfers.execute(payer.actor, { ...transfer, pin: HARNESS_PIN }, uuidv7()).catch((err: { code?: string }) => {
          refused.push(err.code ?? String(err));
        });
      }
    } finally {
      folding = false;
      await folder;
    }
    expect(refused).toEqual([]);
    expect(await figures(await accountOf(payer.walletId))).toEqual({ balance: 78001n, pending: 78000n, available: 1n });
  });

  it('folding changes no balance, leaves rows equal to their postings, and empties the deltas', async () => {
    const a = await ledger.fundedWallet('USD', '20.00');
    const b = await ledger.fundedWallet('USD', '3.00');
    const t = await ledger.transfers.execute(a.actor, { fromWalletId: a.walletId, toWalletNumber: b.walletNumber, amount: '2.00', pin: HARNESS_PIN }, uuidv7());
    await ledger.decide(t.id, 'reject');
    const before = await allBalances();
    expect((await owner.query(`SELECT count(*)::int AS n FROM ledger.balance_deltas`))[0].n).toBeGreaterThan(0);

    const folded = await ledger.balanceFolder.fold();

    expect(folded).toBeGreaterThan(0);
    expect((await owner.query(`SELECT count(*)::int AS n FROM ledger.balance_deltas`))[0].n).toBe(0);
    expect(await allBalances()).toEqual(before);
    expect((await verifyAllBalances(ledger.db)).ok).toBe(true);
  });

  it('the fold never waits: it skips an account whose row a debit holds, and folds it on a later pass', async () => {
    const { actor, walletId } = await ledger.fundedWallet('USD', '4.00');
    const accountId = await accountOf(walletId);
    await ledger.deposits.execute(actor, { walletId, amount: '1.00' }, uuidv7());
    const holder = owner.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`SELECT 1 FROM ledger.balance_rows WHERE account_id = $1 FOR NO KEY UPDATE`, [accountId]);
      await owner.transaction((m) => foldBatch(m, 1000));
      expect(await deltaCount(accountId)).toBe(2);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    await ledger.balanceFolder.fold();
    expect(await deltaCount(accountId)).toBe(0);
    expect(await figures(accountId)).toEqual({ balance: 500n, pending: 0n, available: 500n });
  });

  it('one fold at a time: a second fold while the first holds its lock does nothing', async () => {
    const { actor, walletId } = await ledger.fundedWallet('USD', '2.00');
    await ledger.deposits.execute(actor, { walletId, amount: '1.00' }, uuidv7());
    const first = owner.createQueryRunner();
    await first.connect();
    try {
      await first.startTransaction();
      await first.query(`SELECT pg_advisory_xact_lock($1)`, [BALANCE_FOLD_LOCK]);
      expect(await owner.transaction((m) => foldBatch(m, 1000))).toBe(0);
    } finally {
      await first.rollbackTransaction();
      await first.release();
    }
    expect(await owner.transaction((m) => foldBatch(m, 1000))).toBeGreaterThan(0);
  });
});
