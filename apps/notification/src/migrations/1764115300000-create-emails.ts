import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outgoing email, as stored by the development transport (there is no mail server here). */
export class CreateEmails1764115300000 implements MigrationInterface {
  name = 'CreateEmails1764115300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification.emails (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        to_address text NOT NULL,
        template text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX emails_user_time_idx ON notification.emails (user_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification.emails`);
  }
}
