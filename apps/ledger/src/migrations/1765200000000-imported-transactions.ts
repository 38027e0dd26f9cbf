import { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_RUNTIME_ROLE } from './1763856000000-ledger-runtime-role';

/**
 * Imported history keeps two times. The posting kernel writes an imported row like any other (its
 * journal entry and postings carry the booking time, append-only); the entry's metadata says
 * `imported: {importId, row, occurredAt}`, and this trigger, in the same transaction, dates the
 * transaction rows to when it happened (transactions.created_at: what lists, date filters and
 * spending windows read, so history never counts toward today's limits) and records the import,
 * the row and the booking time in ledger.imported_transactions.
 */
export class ImportedTransactions1765200000000 implements MigrationInterface {
  name = 'ImportedTransactions1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger.imported_transactions (
        transaction_id uuid PRIMARY KEY REFERENCES ledger.transactions (id),
        import_id uuid NOT NULL REFERENCES ledger.imports (id),
        row_index integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        booked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX imported_transactions_import_idx ON ledger.imported_transactions (import_id, row_index)`);
    await q.query(`
      CREATE FUNCTION ledger.date_imported_entry() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        occurred timestamptz := (NEW.metadata->'imported'->>'occurredAt')::timestamptz;
      BEGIN
        IF occurred IS NULL OR occurred > now() THEN
          RAISE EXCEPTION 'imported entry % needs an occurredAt in the past', NEW.id USING ERRCODE = 'check_violation';
        END IF;
        UPDATE ledger.transactions SET created_at = occurred
         WHERE id = NEW.transaction_id OR linked_transaction_id = NEW.transaction_id;
        INSERT INTO ledger.imported_transactions (transaction_id, import_id, row_index, occurred_at)
        SELECT t.id, (NEW.metadata->'imported'->>'importId')::uuid, (NEW.metadata->'imported'->>'row')::integer, occurred
          FROM ledger.transactions t WHERE t.id = NEW.transaction_id OR t.linked_transaction_id = NEW.transaction_id
        ON CONFLICT (transaction_id) DO NOTHING;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER journal_entries_date_imported AFTER INSERT ON ledger.journal_entries
      FOR EACH ROW WHEN (NEW.metadata ? 'imported') EXECUTE FUNCTION ledger.date_imported_entry()`);
    await q.query(`GRANT SELECT, INSERT ON ledger.imported_transactions TO ${LEDGER_RUNTIME_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER journal_entries_date_imported ON ledger.journal_entries`);
    await q.query(`DROP FUNCTION ledger.date_imported_entry()`);
    await q.query(`DROP TABLE ledger.imported_transactions`);
  }
}
