import { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_RUNTIME_ROLE } from './1763856000000-ledger-runtime-role';

/**
 * Admin bulk imports of past transactions: the import, and one row per entry with its checked plan
 * and its outcome (the report). Rows are booked in the order they happened (occurred_at, then their
 * place in the import), the pending ones found by a partial index.
 */
export class Imports1765100000000 implements MigrationInterface {
  name = 'Imports1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger.imports (
        id uuid PRIMARY KEY,
        requested_by uuid NOT NULL,
        description text,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed')),
        total integer NOT NULL CHECK (total > 0),
        accepted integer NOT NULL CHECK (accepted >= 0 AND accepted <= total),
        posted integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CONSTRAINT imports_outcomes_within_accepted CHECK (posted + failed <= accepted)
      )`);
    await q.query(`CREATE INDEX imports_created_idx ON ledger.imports (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX imports_open_idx ON ledger.imports (created_at) WHERE status <> 'completed'`);
    await q.query(`
      CREATE TABLE ledger.import_rows (
        import_id uuid NOT NULL REFERENCES ledger.imports (id),
        index integer NOT NULL,
        ref text,
        type text NOT NULL,
        occurred_at timestamptz,
        plan jsonb,
        status text NOT NULL CHECK (status IN ('rejected', 'pending', 'posted', 'failed')),
        transaction_id uuid,
        error jsonb,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (import_id, index),
        CONSTRAINT import_rows_plan_when_accepted CHECK ((status = 'rejected') = (plan IS NULL))
      )`);
    await q.query(`CREATE INDEX import_rows_pending_idx ON ledger.import_rows (import_id, occurred_at, index) WHERE status = 'pending'`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ledger.imports, ledger.import_rows TO ${LEDGER_RUNTIME_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger.import_rows`);
    await q.query(`DROP TABLE ledger.imports`);
  }
}
