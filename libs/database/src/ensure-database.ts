import { Client } from 'pg';

/**
 * Advisory lock keys (pg_advisory_lock takes a bigint; an advisory lock is scoped to the database
 * it is taken in). One for creating databases, taken in the `postgres` database; one for running
 * migrations, taken in Tally's database: every replica of every service migrates one at a time, so
 * a fresh start never races on CREATE DATABASE, CREATE SCHEMA or a cluster-wide CREATE ROLE.
 */
export const CREATE_DATABASE_LOCK = 7_366_110_001;
export const MIGRATIONS_LOCK = 7_366_110_002;

/** Runs fn while holding a session-level advisory lock on a connection of its own to url. */
export async function withAdvisoryLock<T>(url: string, key: number, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'tally-migrations-lock' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await fn(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await client.end();
  }
}

/** Creates the database named in url when it is missing (connecting through the `postgres` database). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`DATABASE_URL names an unusable database "${name}" (use lower-case letters, digits, _)`);
  }
  // Most starts find it: ask without the lock first (a role without rights on `postgres` may still start).
  if (await databaseExists(url)) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  await withAdvisoryLock(admin.toString(), CREATE_DATABASE_LOCK, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  });
}

async function databaseExists(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (err) {
    // 3D000 invalid_catalog_name: the database does not exist (yet).
    if ((err as { code?: string }).code === '3D000') return false;
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the service's own schema; the migrations table lives in it, so it must exist first. */
export async function ensureSchema(client: Client, schema: string): Promise<void> {
  // Asked first: a provisioned schema (docs/security.md) needs no CREATE right on the database.
  const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (found.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
}
