import { DataSource } from 'typeorm';
import { openServiceDatabase, provisionServiceRoles, roleUrl, serviceRoles } from '@tally/database';
import { uuidv7 } from '@tally/contracts';
import { recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { AccountsRepository, walletFigures } from '../accounts/accounts.repository';
import { LEDGER_MIGRATIONS } from '../app.module';
import { JournalRepository } from './journal.repository';
import { runLedgerTransaction } from './run-ledger-transaction';

const URL = process.env.TEST_LEDGER_DATABASE_URL ?? testDatabaseUrl('int_ledger');

/** The books defend themselves: these guards hold even against code that bypasses the repositories. */
describe('ledger guards in Postgres', () => {
  let db: DataSource;
  /** A superuser, who has every privilege: only the triggers stand in its way. */
  let owner: DataSource;
  let accounts: AccountsRepository;
  const journal = new JournalRepository();
  let funding: string;
  let wallet: string;

  beforeAll(async () => {
    await recreateDatabase(URL);
    // As the service runs: migrated by the owner role, connected as the ledger's login role.
    await provisionServiceRoles(URL, { services: ['ledger'] });
    const roles = serviceRoles('ledger');
    db = await openServiceDatabase({
      url: roleUrl(URL, roles.login),
      migrationUrl: roleUrl(URL, roles.owner),
      schema: 'ledger',
      applicationName: 'ledger-int-spec',
      migrations: LEDGER_MIGRATIONS,
    });
    owner = await new DataSource({ type: 'postgres', url: URL }).initialize();
    accounts = new AccountsRepository(db);
    await db.transaction(async (m) => {
      funding = await accounts.systemAccount('funding', 'USD');
      wallet = await accounts.createWalletAccount(m, uuidv7(), 'USD');
    });
  });

  afterAll(async () => {
    await db?.destroy();
    await owner?.destroy();
  });

  const figures = async (id: string) => walletFigures((await accounts.balances(db.manager, [id])).get(id));

  it('keeps balances in step with postings, in the same transaction', async () => {
    await db.transaction((m) =>
      journal.append(m, { transactionId: uuidv7(), kind: 'deposit', phase: 'posted' }, [
        { accountId: funding, direction: 'D', amount: 10_000n, currency: 'USD' },
        { accountId: wallet, direction: 'C', amount: 10_000n, currency: 'USD' },
      ]),
    );
    expect(await figures(wallet)).toEqual({ balance: 10_000n, pending: 0n, available: 10_000n });
  });

  it('refuses an unbalanced entry at commit', async () => {
    const attempt = db.transaction(async (m) => {
      const entry = uuidv7();
      await m.query(`INSERT INTO ledger.journal_entries (id, transaction_id, kind, phase) VALUES ($1, $2, 'bug', 'posted')`, [entry, uuidv7()]);
      await m.query(`INSERT INTO ledger.postings (entry_id, account_id, phase, direction, amount, currency) VALUES ($1, $2, 'posted', 'D', 500, 'USD')`, [
        entry,
        funding,
      ]);
    });
    await expect(attempt).rejects.toThrow(/does not balance in USD/);
    expect(await figures(wallet)).toEqual({ balance: 10_000n, pending: 0n, available: 10_000n });
  });

  it('gives the service no privilege to change or remove journal rows', async () => {
    await expect(db.query(`UPDATE ledger.postings SET amount = amount + 1`)).rejects.toThrow(/permission denied/);
    await expect(db.query(`DELETE FROM ledger.postings`)).rejects.toThrow(/permission denied/);
    await expect(db.query(`UPDATE ledger.journal_entries SET kind = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(db.query(`TRUNCATE ledger.journal_entries CASCADE`)).rejects.toThrow(/permission denied/);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of journal rows even to the owner', async () => {
    await expect(owner.query(`UPDATE ledger.postings SET amount = amount + 1`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM ledger.postings`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`UPDATE ledger.journal_entries SET kind = 'x'`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM ledger.journal_entries`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`TRUNCATE ledger.postings CASCADE`)).rejects.toThrow(/append-only/);
  });

  it('refuses an overdraft of a wallet, and the code sees INSUFFICIENT_FUNDS', async () => {
    const payout = runLedgerTransaction(db, (m) =>
      journal.append(m, { transactionId: uuidv7(), kind: 'withdrawal', phase: 'posted' }, [
        { accountId: wallet, direction: 'D', amount: 10_001n, currency: 'USD' },
        { accountId: funding, direction: 'C', amount: 10_001n, currency: 'USD' },
      ]),
    );
    await expect(payout).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect((await figures(wallet)).balance).toBe(10_000n);
  });

  it('holds funds while pending, then posts once; a second resolution is refused', async () => {
    const other = await db.transaction((m) => accounts.createWalletAccount(m, uuidv7(), 'USD'));
    const legs = [
      { accountId: wallet, direction: 'D' as const, amount: 2_500n, currency: 'USD' },
      { accountId: other, direction: 'C' as const, amount: 2_500n, currency: 'USD' },
    ];
    const transactionId = uuidv7();
    const pending = await db.transaction((m) => journal.append(m, { transactionId, kind: 'transfer', phase: 'pending' }, legs));
    expect(await figures(wallet)).toEqual({ balance: 10_000n, pending: 2_500n, available: 7_500n });
    expect(await figures(other)).toEqual({ balance: 0n, pending: 0n, available: 0n });

    await db.transaction((m) => journal.append(m, { transactionId, kind: 'transfer', phase: 'post_pending', pendingEntryId: pending }, legs));
    expect(await figures(wallet)).toEqual({ balance: 7_500n, pending: 0n, available: 7_500n });
    expect(await figures(other)).toEqual({ balance: 2_500n, pending: 0n, available: 2_500n });

    const again = db.transaction((m) => journal.append(m, { transactionId, kind: 'transfer', phase: 'void_pending', pendingEntryId: pending }, legs));
    await expect(again).rejects.toThrow(/journal_entries_pending_resolved_once|duplicate key/);
    expect(await figures(wallet)).toEqual({ balance: 7_500n, pending: 0n, available: 7_500n });
  });

  it('holding more than is available is an overdraft too', async () => {
    const other = await db.transaction((m) => accounts.createWalletAccount(m, uuidv7(), 'USD'));
    const hold = runLedgerTransaction(db, (m) =>
      journal.append(m, { transactionId: uuidv7(), kind: 'transfer', phase: 'pending' }, [
        { accountId: wallet, direction: 'D', amount: 7_501n, currency: 'USD' },
        { accountId: other, direction: 'C', amount: 7_501n, currency: 'USD' },
      ]),
    );
    await expect(hold).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
  });

  it('sums to zero across all accounts of a currency (trial balance)', async () => {
    const rows = await db.query(`SELECT sum(posted_debits)::text AS debits, sum(posted_credits)::text AS credits FROM ledger.balances WHERE currency = 'USD'`);
    expect(rows[0].debits).toBe(rows[0].credits);
    const fromPostings = await db.query(
      `SELECT coalesce(sum(CASE WHEN direction = 'D' THEN amount ELSE -amount END), 0)::text AS net FROM ledger.postings WHERE phase IN ('posted', 'post_pending')`,
    );
    expect(fromPostings[0].net).toBe('0');
  });
});
