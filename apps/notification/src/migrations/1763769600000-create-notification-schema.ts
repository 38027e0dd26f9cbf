import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@tally/messaging';

export class CreateNotificationSchema1763769600000 implements MigrationInterface {
  name = 'CreateNotificationSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification.notifications (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        type text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_user_time_idx ON notification.notifications (user_id, created_at DESC)`);
    await createMessagingTables(q, 'notification');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'notification');
    await q.query(`DROP TABLE notification.notifications`);
  }
}
