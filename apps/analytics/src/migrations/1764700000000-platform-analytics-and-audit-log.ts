import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform analytics (issue 12), projected from every service's events: one row per transaction
 * with its latest status (a status never goes back: pending → completed or voided → reversed),
 * registrations, and who was active on which UTC day. And the audit log: every admin action and
 * security event of every service, append-only (the database refuses UPDATE, DELETE and TRUNCATE).
 */
export class PlatformAnalyticsAndAuditLog1764700000000 implements MigrationInterface {
  name = 'PlatformAnalyticsAndAuditLog1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics.platform_transactions (
        transaction_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        type text NOT NULL,
        status text NOT NULL,
        status_rank smallint NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        fee_minor bigint NOT NULL CHECK (fee_minor >= 0),
        currency char(3) NOT NULL,
        category text,
        occurred_at timestamptz NOT NULL,
        imported boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX platform_transactions_time_idx ON analytics.platform_transactions (occurred_at)`);
    await q.query(`CREATE INDEX platform_transactions_pending_idx ON analytics.platform_transactions (currency) WHERE status = 'pending'`);
    await q.query(`CREATE TABLE analytics.registrations (user_id uuid PRIMARY KEY, registered_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX registrations_time_idx ON analytics.registrations (registered_at)`);
    await q.query(`CREATE TABLE analytics.user_activity (day date NOT NULL, user_id uuid NOT NULL, PRIMARY KEY (day, user_id))`);

    await q.query(`
      CREATE TABLE analytics.audit_log (
        id uuid PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        source text NOT NULL,
        action text NOT NULL,
        actor_id uuid,
        subject_user_id uuid,
        target_type text,
        target_id text,
        reason text,
        ip text,
        user_agent text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_log_time_idx ON analytics.audit_log (occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON analytics.audit_log (actor_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX audit_log_subject_idx ON analytics.audit_log (subject_user_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX audit_log_action_idx ON analytics.audit_log (action, occurred_at DESC)`);
    await q.query(`
      CREATE FUNCTION analytics.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON analytics.audit_log
      FOR EACH ROW EXECUTE FUNCTION analytics.refuse_audit_change()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON analytics.audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION analytics.refuse_audit_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analytics.audit_log`);
    await q.query(`DROP FUNCTION analytics.refuse_audit_change()`);
    await q.query(`DROP TABLE analytics.user_activity`);
    await q.query(`DROP TABLE analytics.registrations`);
    await q.query(`DROP TABLE analytics.platform_transactions`);
  }
}
