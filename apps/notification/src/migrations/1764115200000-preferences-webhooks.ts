import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 4: preferences, low-balance thresholds and the balance projection, pending reviews, addresses and devices, webhooks and deliveries. */
export class PreferencesWebhooks1764115200000 implements MigrationInterface {
  name = 'PreferencesWebhooks1764115200000';

  async up(q: QueryRunner): Promise<void> {
    // Only what the user changed is stored; defaults fill in the rest when read.
    await q.query(`
      CREATE TABLE notification.preferences (
        user_id uuid PRIMARY KEY,
        events jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Each wallet's available balance as projected from ledger.events. complete = its wallet.opened was
    // seen, so the figure covers its whole history; only those are checked against a low-balance threshold.
    await q.query(`
      CREATE TABLE notification.wallet_balances (
        wallet_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        currency text NOT NULL,
        available_minor bigint NOT NULL DEFAULT 0,
        complete boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX wallet_balances_user_idx ON notification.wallet_balances (user_id)`);
    // below = the last check found the balance under the threshold: notify on the crossing only, once.
    await q.query(`
      CREATE TABLE notification.low_balance_thresholds (
        wallet_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        threshold_minor bigint NOT NULL CHECK (threshold_minor > 0),
        currency text NOT NULL,
        below boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX low_balance_thresholds_user_idx ON notification.low_balance_thresholds (user_id)`);
    // transaction.pending (who) and fraud's review decision (whether) arrive on two topics in either order.
    await q.query(`
      CREATE TABLE notification.review_watch (
        transaction_id uuid PRIMARY KEY,
        user_id uuid,
        transaction jsonb,
        in_review boolean NOT NULL DEFAULT false,
        notified boolean NOT NULL DEFAULT false
      )`);
    // Where a user's emails go, learnt from identity's user.email-token-issued (sent at registration).
    await q.query(`
      CREATE TABLE notification.user_addresses (
        user_id uuid PRIMARY KEY,
        email text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The devices (user agents, as a hash) each user signed in from, to tell a new one.
    await q.query(`
      CREATE TABLE notification.known_devices (
        user_id uuid NOT NULL,
        device_hash text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, device_hash)
      )`);
    await q.query(`
      CREATE TABLE notification.webhooks (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        secret_encrypted text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX webhooks_idempotency_idx ON notification.webhooks (user_id, idempotency_key)`);
    await q.query(`CREATE INDEX webhooks_user_idx ON notification.webhooks (user_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE notification.webhook_deliveries (
        id uuid PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES notification.webhooks (id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        last_status int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, event_id)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_due_idx ON notification.webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_webhook_idx ON notification.webhook_deliveries (webhook_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification.webhook_deliveries`);
    await q.query(`DROP TABLE notification.webhooks`);
    await q.query(`DROP TABLE notification.known_devices`);
    await q.query(`DROP TABLE notification.user_addresses`);
    await q.query(`DROP TABLE notification.review_watch`);
    await q.query(`DROP TABLE notification.low_balance_thresholds`);
    await q.query(`DROP TABLE notification.wallet_balances`);
    await q.query(`DROP TABLE notification.preferences`);
  }
}
