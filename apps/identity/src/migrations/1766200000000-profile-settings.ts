import { MigrationInterface, QueryRunner } from 'typeorm';

/** PATCH /v1/me (api-v1 v1.1): a user's time zone, default currency, language and theme. */
export class ProfileSettings1766200000000 implements MigrationInterface {
  name = 'ProfileSettings1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.users ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'`);
    // Null until the user chooses one: totals are then in the platform's base currency.
    await q.query(`ALTER TABLE identity.users ADD COLUMN default_currency char(3) CHECK (default_currency ~ '^[A-Z]{3}$')`);
    await q.query(`ALTER TABLE identity.users ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es', 'fr', 'de', 'pt'))`);
    await q.query(`ALTER TABLE identity.users ADD COLUMN theme text NOT NULL DEFAULT 'light' CHECK (theme IN ('light', 'dark'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of ['theme', 'language', 'default_currency', 'time_zone']) {
      await q.query(`ALTER TABLE identity.users DROP COLUMN ${column}`);
    }
  }
}
