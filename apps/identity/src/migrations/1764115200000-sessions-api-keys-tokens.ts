import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 4: refresh rotation, API keys, email/reset tokens, email verification and a richer audit trail. */
export class SessionsApiKeysTokens1764115200000 implements MigrationInterface {
  name = 'SessionsApiKeysTokens1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.users ADD COLUMN email_verified_at timestamptz`);
    await q.query(`ALTER TABLE identity.sessions ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`ALTER TABLE identity.sessions ADD COLUMN revoked_reason text`);
    // Every refresh token a session handed out before its current one: presenting one again is reuse.
    await q.query(`
      CREATE TABLE identity.rotated_refresh_tokens (
        token_hash text PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES identity.sessions (id),
        rotated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX rotated_refresh_tokens_session_idx ON identity.rotated_refresh_tokens (session_id)`);
    await q.query(`
      CREATE TABLE identity.api_keys (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id),
        name text NOT NULL,
        prefix text NOT NULL,
        secret_hash text NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_prefix_key ON identity.api_keys (prefix)`);
    await q.query(`CREATE INDEX api_keys_user_idx ON identity.api_keys (user_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE identity.user_tokens (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id),
        purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX user_tokens_user_idx ON identity.user_tokens (user_id, purpose)`);
    // Failed logins naming no account are counted too, so an unknown email locks like a real one
    // and the answers never tell the two apart. Keyed by a hash of the lower-cased login name.
    await q.query(`
      CREATE TABLE identity.unknown_login_failures (
        login_hash text PRIMARY KEY,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE identity.security_events ADD COLUMN session_id uuid`);
    await q.query(`ALTER TABLE identity.security_events ADD COLUMN api_key_id uuid`);
    await q.query(`ALTER TABLE identity.security_events ADD COLUMN actor_id uuid`);
    await q.query(`CREATE INDEX security_events_user_idx ON identity.security_events (user_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX identity.security_events_user_idx`);
    await q.query(`ALTER TABLE identity.security_events DROP COLUMN actor_id, DROP COLUMN api_key_id, DROP COLUMN session_id`);
    await q.query(`DROP TABLE identity.unknown_login_failures`);
    await q.query(`DROP TABLE identity.user_tokens`);
    await q.query(`DROP TABLE identity.api_keys`);
    await q.query(`DROP TABLE identity.rotated_refresh_tokens`);
    await q.query(`ALTER TABLE identity.sessions DROP COLUMN revoked_reason, DROP COLUMN last_used_at`);
    await q.query(`ALTER TABLE identity.users DROP COLUMN email_verified_at`);
  }
}
