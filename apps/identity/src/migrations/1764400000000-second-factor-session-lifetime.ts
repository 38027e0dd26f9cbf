import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: TOTP second factor with recovery codes; sessions with an absolute end and the factor
 * they were opened with; no bearer secret left readable in the outbox.
 */
export class SecondFactorSessionLifetime1764400000000 implements MigrationInterface {
  name = 'SecondFactorSessionLifetime1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // Existing sessions end 12 h after their login (the default lifetime) or earlier if they already would.
    await q.query(`ALTER TABLE identity.sessions ADD COLUMN absolute_expires_at timestamptz`);
    await q.query(
      `UPDATE identity.sessions SET absolute_expires_at = least(expires_at, created_at + interval '12 hours'), expires_at = least(expires_at, created_at + interval '12 hours')`,
    );
    await q.query(`ALTER TABLE identity.sessions ALTER COLUMN absolute_expires_at SET NOT NULL`);
    await q.query(`ALTER TABLE identity.sessions ADD CONSTRAINT sessions_expiry_within_lifetime CHECK (expires_at <= absolute_expires_at)`);
    // Which second factor opened the session (null: password only); admin and auditor powers need one.
    await q.query(`ALTER TABLE identity.sessions ADD COLUMN second_factor text CHECK (second_factor IN ('totp', 'recovery_code'))`);
    await q.query(`
      CREATE TABLE identity.user_totp (
        user_id uuid PRIMARY KEY REFERENCES identity.users (id),
        secret_encrypted text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        -- The last RFC 6238 time step accepted: a code is never accepted twice (RFC 6238 §5.2).
        last_used_step bigint
      )`);
    await q.query(`
      CREATE TABLE identity.recovery_codes (
        code_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX recovery_codes_user_idx ON identity.recovery_codes (user_id)`);
    // Email tokens and session ids never stay readable in the outbox (published or not).
    await q.query(`
      UPDATE identity.outbox SET payload = jsonb_set(payload, '{data,token}', '"[redacted]"')
       WHERE payload->>'type' = 'user.email-token-issued' AND payload->'data' ? 'token'`);
    await q.query(`UPDATE identity.outbox SET payload = payload #- '{data,sessionId}' WHERE payload->>'type' = 'security.event'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity.recovery_codes`);
    await q.query(`DROP TABLE identity.user_totp`);
    await q.query(`ALTER TABLE identity.sessions DROP COLUMN second_factor`);
    await q.query(`ALTER TABLE identity.sessions DROP CONSTRAINT sessions_expiry_within_lifetime`);
    await q.query(`ALTER TABLE identity.sessions DROP COLUMN absolute_expires_at`);
  }
}
