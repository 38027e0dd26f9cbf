import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@tally/messaging';

export class CreateIdentitySchema1763769600000 implements MigrationInterface {
  name = 'CreateIdentitySchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity.users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        username text,
        full_name text NOT NULL,
        phone text,
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT ARRAY['user'],
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON identity.users (lower(email))`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON identity.users (lower(username)) WHERE username IS NOT NULL`);
    await q.query(`
      CREATE TABLE identity.sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id),
        refresh_token_hash text NOT NULL,
        user_agent text,
        ip text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX sessions_user_idx ON identity.sessions (user_id)`);
    await q.query(`CREATE UNIQUE INDEX sessions_refresh_token_key ON identity.sessions (refresh_token_hash)`);
    await q.query(`
      CREATE TABLE identity.security_events (
        id bigserial PRIMARY KEY,
        user_id uuid,
        kind text NOT NULL,
        ip text,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await createMessagingTables(q, 'identity');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'identity');
    await q.query(`DROP TABLE identity.security_events`);
    await q.query(`DROP TABLE identity.sessions`);
    await q.query(`DROP TABLE identity.users`);
  }
}
