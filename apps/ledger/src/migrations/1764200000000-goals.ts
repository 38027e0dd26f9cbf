import { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_RUNTIME_ROLE } from './1763856000000-ledger-runtime-role';

/**
 * Savings goals. Each goal owns a ledger account of its user (a liability of Tally to the user,
 * code goal:<id>, never below zero like a wallet), so what a goal holds is a balance the journal
 * proves, moved there only by balanced entries. A goal is created once per Idempotency-Key.
 */
export class Goals1764200000000 implements MigrationInterface {
  name = 'Goals1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger.goals (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        account_id uuid NOT NULL REFERENCES ledger.accounts (id),
        name text NOT NULL,
        target_amount bigint NOT NULL CHECK (target_amount > 0),
        currency char(3) NOT NULL,
        deadline date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT goals_account_key UNIQUE (account_id)
      )`);
    await q.query(`CREATE INDEX goals_user_idx ON ledger.goals (user_id, created_at)`);
    // Milestones (25/50/75/100 %) already announced: goal.milestone goes out once per goal and milestone.
    await q.query(`
      CREATE TABLE ledger.goal_milestones (
        goal_id uuid NOT NULL REFERENCES ledger.goals (id),
        milestone integer NOT NULL CHECK (milestone IN (25, 50, 75, 100)),
        transaction_id uuid NOT NULL,
        reached_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (goal_id, milestone)
      )`);
    await q.query(`GRANT SELECT, INSERT ON ledger.goals, ledger.goal_milestones TO ${LEDGER_RUNTIME_ROLE}`);
    // UPDATE only for the row lock that serialises contributions to one goal.
    await q.query(`GRANT UPDATE ON ledger.goals TO ${LEDGER_RUNTIME_ROLE}`);
    // A contribution's transaction names its goal, so its event (and a replay of it) says where the money went.
    await q.query(`ALTER TABLE ledger.transactions ADD COLUMN goal_id uuid REFERENCES ledger.goals (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger.transactions DROP COLUMN goal_id`);
    await q.query(`DROP TABLE ledger.goal_milestones`);
    await q.query(`DROP TABLE ledger.goals`);
  }
}
