import { Client } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { openServiceDatabase, migrateServiceDatabase } from './database.module';

// testDatabaseUrl of @tally/testing, spelled out: that lib depends on this one (LocalStack provisions roles).
const URL = `${process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432'}/${process.env.TEST_DB_PREFIX ?? 'tally'}_int_migrations_lock`;

/** A migration that fails if it ever runs twice or two run at once: it counts itself in a table without IF NOT EXISTS. */
class CreateCounted1700000000000 implements MigrationInterface {
  name = 'CreateCounted1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE lockspec.counted (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    // Long enough that replicas starting together would overlap without the lock.
    await q.query('SELECT pg_sleep(0.3)');
    await q.query('INSERT INTO lockspec.counted DEFAULT VALUES');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE lockspec.counted');
  }
}

class AddColumn1700000000001 implements MigrationInterface {
  name = 'AddColumn1700000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE lockspec.counted ADD COLUMN note text');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE lockspec.counted DROP COLUMN note');
  }
}

async function dropDatabase(): Promise<void> {
  const admin = new Client({ connectionString: URL.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new globalThis.URL(URL).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
}

describe('migrations under the advisory lock', () => {
  const options = { url: URL, schema: 'lockspec', applicationName: 'migrations-lock-spec', migrations: [CreateCounted1700000000000] };

  beforeAll(dropDatabase);
  afterAll(dropDatabase);

  it('six replicas starting on a database that does not exist yet: one creates it, each migration runs once, none fails', async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => migrateServiceDatabase(options)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('fulfilled'));
    const ran = results.map((r) => (r as PromiseFulfilledResult<string[]>).value);
    expect(ran.filter((names) => names.length > 0)).toEqual([['CreateCounted1700000000000']]);
    const client = new Client({ connectionString: URL });
    await client.connect();
    const rows = await client.query('SELECT count(*)::int AS n FROM lockspec.counted');
    await client.end();
    expect(rows.rows[0].n).toBe(1);
  });

  it('MIGRATIONS_AT_START=check refuses to start while a migration is pending, and starts once it has run', async () => {
    const next = { ...options, migrations: [CreateCounted1700000000000, AddColumn1700000000001], migrationsAtStart: 'check' as const };
    await expect(openServiceDatabase(next)).rejects.toThrow(/lockspec schema has pending migrations: run the migrate-only entrypoint first/);
    expect(await migrateServiceDatabase(next)).toEqual(['AddColumn1700000000001']);
    const db = await openServiceDatabase(next);
    expect(await db.query('SELECT note FROM lockspec.counted')).toEqual([{ note: null }]);
    await db.destroy();
  });
});
