import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@tally/messaging';

export class CreateAnalyticsSchema1763769600000 implements MigrationInterface {
  name = 'CreateAnalyticsSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    // One row per side of each completed movement, projected from ledger.events.
    await q.query(`
      CREATE TABLE analytics.money_flows (
        transaction_id uuid NOT NULL,
        user_id uuid NOT NULL,
        wallet_id uuid NOT NULL,
        direction text NOT NULL CHECK (direction IN ('debit', 'credit')),
        type text NOT NULL,
        category text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (transaction_id, user_id, direction)
      )`);
    await q.query(`CREATE INDEX money_flows_user_time_idx ON analytics.money_flows (user_id, occurred_at)`);
    await createMessagingTables(q, 'analytics');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'analytics');
    await q.query(`DROP TABLE analytics.money_flows`);
  }
}
