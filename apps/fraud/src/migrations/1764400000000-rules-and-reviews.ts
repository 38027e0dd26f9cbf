import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 5: rules as data, the projection the rules read, the evidence kept with each score, and
 * the review queue with its audit trail.
 */
export class RulesAndReviews1764400000000 implements MigrationInterface {
  name = 'RulesAndReviews1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per rule class (rows are created at start-up from the registry with the class's defaults).
    await q.query(`
      CREATE TABLE fraud.rules (
        code text PRIMARY KEY,
        weight integer NOT NULL CHECK (weight BETWEEN 0 AND 100),
        enabled boolean NOT NULL DEFAULT true,
        parameters jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid
      )`);
    // Every admin edit of a rule, as it was after the edit (append-only).
    await q.query(`
      CREATE TABLE fraud.rule_changes (
        id bigserial PRIMARY KEY,
        code text NOT NULL REFERENCES fraud.rules (code),
        weight integer NOT NULL,
        enabled boolean NOT NULL,
        parameters jsonb NOT NULL,
        changed_by uuid NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);

    // The projection: what the rules ask about a user's earlier debits.
    await q.query(`ALTER TABLE fraud.user_activity ADD COLUMN type text NOT NULL DEFAULT 'debit'`);
    await q.query(`ALTER TABLE fraud.user_activity ADD COLUMN payee text`);
    await q.query(`ALTER TABLE fraud.user_activity ADD COLUMN status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'voided'))`);
    await q.query(`CREATE INDEX user_activity_user_currency_time_idx ON fraud.user_activity (user_id, currency, occurred_at DESC)`);

    await q.query(`ALTER TABLE fraud.scores ADD COLUMN band text NOT NULL DEFAULT 'approve' CHECK (band IN ('approve', 'review', 'high_risk', 'reject'))`);
    await q.query(`ALTER TABLE fraud.scores ADD COLUMN hits jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`CREATE INDEX scores_created_idx ON fraud.scores (created_at)`);

    // A held transaction waiting for an admin; closed by a decision or when the ledger settles it otherwise (expiry).
    await q.query(`
      CREATE TABLE fraud.review_cases (
        transaction_id uuid PRIMARY KEY REFERENCES fraud.scores (transaction_id),
        user_id uuid NOT NULL,
        type text NOT NULL,
        amount_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        payee text,
        band text NOT NULL CHECK (band IN ('review', 'high_risk')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected', 'expired')),
        user_history jsonb NOT NULL,
        event_key text NOT NULL,
        created_at timestamptz NOT NULL,
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX review_cases_status_idx ON fraud.review_cases (status, band, created_at)`);
    // Who decided what, when and why: one decision per case, never changed.
    await q.query(`
      CREATE TABLE fraud.review_decisions (
        transaction_id uuid PRIMARY KEY REFERENCES fraud.review_cases (transaction_id),
        decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
        reason text NOT NULL,
        decided_by uuid NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION fraud.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`);
    await q.query(
      `CREATE TRIGGER review_decisions_append_only BEFORE UPDATE OR DELETE ON fraud.review_decisions FOR EACH ROW EXECUTE FUNCTION fraud.refuse_change()`,
    );
    await q.query(`CREATE TRIGGER rule_changes_append_only BEFORE UPDATE OR DELETE ON fraud.rule_changes FOR EACH ROW EXECUTE FUNCTION fraud.refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fraud.review_decisions`);
    await q.query(`DROP TABLE fraud.review_cases`);
    await q.query(`DROP FUNCTION fraud.refuse_change() CASCADE`);
    await q.query(`DROP INDEX fraud.scores_created_idx`);
    await q.query(`ALTER TABLE fraud.scores DROP COLUMN hits, DROP COLUMN band`);
    await q.query(`DROP INDEX fraud.user_activity_user_currency_time_idx`);
    await q.query(`ALTER TABLE fraud.user_activity DROP COLUMN status, DROP COLUMN payee, DROP COLUMN type`);
    await q.query(`DROP TABLE fraud.rule_changes`);
    await q.query(`DROP TABLE fraud.rules`);
  }
}
