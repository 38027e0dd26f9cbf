import { MigrationInterface, QueryRunner } from 'typeorm';

/** The role the ledger service runs as: it may add to the journal but never change or remove it. */
export const LEDGER_RUNTIME_ROLE = 'tally_ledger_app';

const MUTABLE = ['accounts', 'balances', 'wallets', 'transactions', 'idempotency_keys', 'outbox', 'inbox'];

export class LedgerRuntimeRole1763856000000 implements MigrationInterface {
  name = 'LedgerRuntimeRole1763856000000';

  async up(q: QueryRunner): Promise<void> {
    // Roles are cluster-wide: another database's migration may have created it already.
    await q.query(`
      DO $$ BEGIN
        CREATE ROLE ${LEDGER_RUNTIME_ROLE} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA ledger TO ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`GRANT SELECT, INSERT ON ledger.journal_entries, ledger.postings TO ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ${MUTABLE.map((t) => `ledger.${t}`).join(', ')} TO ${LEDGER_RUNTIME_ROLE}`);
    // The relay prunes published outbox rows.
    await q.query(`GRANT DELETE ON ledger.outbox TO ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ledger TO ${LEDGER_RUNTIME_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ledger FROM ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ledger FROM ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA ledger FROM ${LEDGER_RUNTIME_ROLE}`);
  }
}
