import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@tally/messaging';

export class CreateFraudSchema1763769600000 implements MigrationInterface {
  name = 'CreateFraudSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    // Fraud's own projection of each user's debits, fed by ledger.events: scoring never reads the ledger.
    await q.query(`
      CREATE TABLE fraud.user_activity (
        transaction_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        amount_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        occurred_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX user_activity_user_time_idx ON fraud.user_activity (user_id, occurred_at DESC)`);
    await q.query(`
      CREATE TABLE fraud.scores (
        transaction_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
        flags text[] NOT NULL,
        decision text NOT NULL CHECK (decision IN ('approve', 'review', 'reject')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await createMessagingTables(q, 'fraud');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'fraud');
    await q.query(`DROP TABLE fraud.scores`);
    await q.query(`DROP TABLE fraud.user_activity`);
  }
}
