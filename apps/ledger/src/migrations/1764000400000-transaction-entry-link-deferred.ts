import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A transaction row may name its journal entry before the entry is written in the same database
 * transaction: the link is checked at commit. Writers append the entry last, so the balance rows it
 * locks (fee revenue, a busy merchant) are held for as short a time as possible.
 */
export class TransactionEntryLinkDeferred1764000400000 implements MigrationInterface {
  name = 'TransactionEntryLinkDeferred1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger.transactions ALTER CONSTRAINT transactions_pending_entry_id_fkey DEFERRABLE INITIALLY DEFERRED`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger.transactions ALTER CONSTRAINT transactions_pending_entry_id_fkey NOT DEFERRABLE`);
  }
}
