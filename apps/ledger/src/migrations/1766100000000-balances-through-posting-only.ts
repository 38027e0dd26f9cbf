import { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureAppRoleSql } from '@tally/database';
import { LEDGER_RUNTIME_ROLE } from './1763856000000-ledger-runtime-role';

/**
 * Least privilege (docs/security.md, "Postgres roles"): the runtime role changes balances only
 * through the posting path. Balance rows and their deltas are written by the SECURITY DEFINER
 * functions of the posting kernel (ledger.apply_postings, ledger.fold_balance_deltas, owned by the
 * schema's owner with a fixed search_path); the role itself may only open an account's row at zero
 * (INSERT of the three columns that are not figures) and read. It had UPDATE on the rows since they
 * were `balances` and INSERT, UPDATE, DELETE on the deltas. It reads the migrations table, so a
 * service started with MIGRATIONS_AT_START=check can see that none is pending.
 */
export class BalancesThroughPostingOnly1766100000000 implements MigrationInterface {
  name = 'BalancesThroughPostingOnly1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ensureAppRoleSql(LEDGER_RUNTIME_ROLE));
    await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ledger.balance_rows, ledger.balance_deltas FROM ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`GRANT INSERT (account_id, currency, debits_must_not_exceed_credits) ON ledger.balance_rows TO ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`GRANT SELECT ON ledger.balance_rows, ledger.balance_deltas, ledger.migrations TO ${LEDGER_RUNTIME_ROLE}`);
    // Tables later migrations add can be read; anything more stays an explicit grant (append-only journal).
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ledger GRANT SELECT ON TABLES TO ${LEDGER_RUNTIME_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ledger REVOKE SELECT ON TABLES FROM ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`REVOKE INSERT (account_id, currency, debits_must_not_exceed_credits) ON ledger.balance_rows FROM ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`REVOKE SELECT ON ledger.migrations FROM ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ledger.balance_rows TO ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ledger.balance_deltas TO ${LEDGER_RUNTIME_ROLE}`);
  }
}
