import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds, reversals and hold expiry. The database itself keeps a purchase's refunds within its
 * amount and lets a transaction be reversed at most once; indexes serve the hold sweep, the
 * refunds of a purchase and the receiver's side of a transfer. No new table, so no new grants.
 */
export class RefundsReversalsHolds1764000200000 implements MigrationInterface {
  name = 'RefundsReversalsHolds1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ledger.transactions
        ADD CONSTRAINT transactions_refunded_within_amount CHECK (refunded_amount >= 0 AND refunded_amount <= amount)`);
    await q.query(`CREATE UNIQUE INDEX journal_entries_reversed_once ON ledger.journal_entries (transaction_id) WHERE kind = 'reversal'`);
    // The hold sweep reads the oldest pending rows; the partial index stays as small as what is held.
    await q.query(
      `CREATE INDEX transactions_pending_created_idx ON ledger.transactions (created_at) WHERE status = 'pending' AND linked_transaction_id IS NULL`,
    );
    await q.query(`CREATE INDEX transactions_original_idx ON ledger.transactions (original_transaction_id) WHERE original_transaction_id IS NOT NULL`);
    // Settling or reversing a transfer updates "id = $1 OR linked_transaction_id = $1".
    await q.query(`CREATE INDEX transactions_linked_idx ON ledger.transactions (linked_transaction_id) WHERE linked_transaction_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger.transactions_linked_idx`);
    await q.query(`DROP INDEX ledger.transactions_original_idx`);
    await q.query(`DROP INDEX ledger.transactions_pending_created_idx`);
    await q.query(`DROP INDEX ledger.journal_entries_reversed_once`);
    await q.query(`ALTER TABLE ledger.transactions DROP CONSTRAINT transactions_refunded_within_amount`);
  }
}
