import { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_RUNTIME_ROLE } from './1763856000000-ledger-runtime-role';

/**
 * Admin runs that walk the whole ledger in chunks, each chunk committed with the run's cursor so a
 * restart resumes where it stopped: balance verification (by account) and journal replay (in
 * journal order). The indexes give replay its order: wallets and journal entries by (created_at, id).
 * Balance as of a past time reads postings by (account_id, created_at), indexed since the schema's start.
 */
export class LedgerReportsAndReplay1764000300000 implements MigrationInterface {
  name = 'LedgerReportsAndReplay1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX journal_entries_created_idx ON ledger.journal_entries (created_at, id)`);
    await q.query(`CREATE INDEX wallets_created_idx ON ledger.wallets (created_at, id)`);

    await q.query(`
      CREATE TABLE ledger.verification_runs (
        id uuid PRIMARY KEY,
        requested_by uuid NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed')),
        cursor_account_id uuid,
        checked_accounts bigint NOT NULL DEFAULT 0,
        difference_count bigint NOT NULL DEFAULT 0,
        differences jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX verification_runs_running_idx ON ledger.verification_runs (created_at) WHERE status = 'running'`);

    await q.query(`
      CREATE TABLE ledger.replay_runs (
        id uuid PRIMARY KEY,
        requested_by uuid NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed')),
        from_time timestamptz,
        to_time timestamptz NOT NULL,
        cursor_created_at timestamptz,
        cursor_source smallint,
        cursor_id uuid,
        wallets_replayed bigint NOT NULL DEFAULT 0,
        entries_replayed bigint NOT NULL DEFAULT 0,
        events_written bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CONSTRAINT replay_runs_range CHECK (from_time IS NULL OR from_time < to_time)
      )`);
    await q.query(`CREATE INDEX replay_runs_running_idx ON ledger.replay_runs (created_at) WHERE status = 'running'`);

    await q.query(`GRANT SELECT, INSERT, UPDATE ON ledger.verification_runs, ledger.replay_runs TO ${LEDGER_RUNTIME_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger.replay_runs`);
    await q.query(`DROP TABLE ledger.verification_runs`);
    await q.query(`DROP INDEX ledger.wallets_created_idx`);
    await q.query(`DROP INDEX ledger.journal_entries_created_idx`);
  }
}
