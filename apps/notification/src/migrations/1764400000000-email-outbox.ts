import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: notification.emails becomes an outbox that a sender drains over SMTP after the inbox
 * transaction commits (attempts, backoff, a lease so replicas never send the same attempt twice).
 * A token arrives sealed (only notification can open it) and is dropped once the email is sent;
 * bodies stored before this migration lose their clear-text tokens now.
 */
export class EmailOutbox1764400000000 implements MigrationInterface {
  name = 'EmailOutbox1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notification.emails
        ADD COLUMN status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN sent_at timestamptz,
        ADD COLUMN last_error text,
        ADD COLUMN sealed_secret text,
        ADD COLUMN seal_context text`);
    // Rows of the old store-only transport were the "sending": they count as sent, without their tokens.
    await q.query(`
      UPDATE notification.emails SET status = 'sent', sent_at = created_at,
             body = regexp_replace(body, '^[A-Za-z0-9_-]{43}$', '[removed after sending]', 'gn')`);
    await q.query(`CREATE INDEX emails_due_idx ON notification.emails (next_attempt_at) WHERE status = 'pending'`);
    // Nothing readable may stay: a sealed secret only while the email still has to go.
    await q.query(`ALTER TABLE notification.emails ADD CONSTRAINT emails_secret_only_while_pending CHECK (status = 'pending' OR sealed_secret IS NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification.emails DROP CONSTRAINT emails_secret_only_while_pending`);
    await q.query(`DROP INDEX notification.emails_due_idx`);
    await q.query(`
      ALTER TABLE notification.emails DROP COLUMN seal_context, DROP COLUMN sealed_secret, DROP COLUMN last_error,
        DROP COLUMN sent_at, DROP COLUMN next_attempt_at, DROP COLUMN attempts, DROP COLUMN status`);
  }
}
