import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * api-v1 v1.1: goals can be emptied (goal_withdrawal) and closed (DELETE /v1/goals/{id}). A closed
 * goal keeps its account and history; no money moves in or out of it again. The guard is a
 * statement trigger over the postings a statement adds, like the closed-wallet one: closing locks
 * the goal row FOR UPDATE, which waits for every batch holding the goal (load_batch locks it FOR
 * NO KEY UPDATE) and makes later ones wait, so the closed_at this reads is the committed one.
 */
export class GoalWithdrawalsAndClosing1766300000000 implements MigrationInterface {
  name = 'GoalWithdrawalsAndClosing1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger.goals ADD COLUMN closed_at timestamptz`);
    await q.query(`
      CREATE FUNCTION ledger.refuse_posting_to_closed_goal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
      BEGIN
        SELECT g.id INTO bad FROM added a JOIN ledger.goals g ON g.account_id = a.account_id WHERE g.closed_at IS NOT NULL LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'goal % is closed: no money moves in or out', bad.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'postings_goal_not_closed';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER postings_goal_not_closed AFTER INSERT ON ledger.postings
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_posting_to_closed_goal()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER postings_goal_not_closed ON ledger.postings`);
    await q.query(`DROP FUNCTION ledger.refuse_posting_to_closed_goal()`);
    await q.query(`ALTER TABLE ledger.goals DROP COLUMN closed_at`);
  }
}
