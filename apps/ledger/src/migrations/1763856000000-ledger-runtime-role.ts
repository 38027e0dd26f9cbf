import { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureAppRoleSql } from '@tally/database';

/**
 * The role the ledger's grants go to: it may add to the journal but never change or remove it. The
 * service logs in as `tally_ledger`, a member of it (docs/security.md).
 */
export const LEDGER_RUNTIME_ROLE = 'tally_ledger_app';

const MUTABLE = ['accounts', 'balances', 'wallets', 'transactions', 'idempotency_keys', 'outbox', 'inbox'];

export class LedgerRuntimeRole1763856000000 implements MigrationInterface {
  name = 'LedgerRuntimeRole1763856000000';

  async up(q: QueryRunner): Promise<void> {
    // Roles are cluster-wide: another database's migration may have created it already. Without
    // superuser (the owner role) it must have been provisioned; was CREATE ROLE, which needed CREATEROLE.
    await q.query(ensureAppRoleSql(LEDGER_RUNTIME_ROLE));
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
