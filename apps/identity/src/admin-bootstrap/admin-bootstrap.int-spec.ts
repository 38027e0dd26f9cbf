import { DataSource } from 'typeorm';
import { verifySecret } from '@tally/auth';
import { openServiceDatabase } from '@tally/database';
import { recreateDatabase } from '@tally/testing';
import { IDENTITY_MIGRATIONS } from '../app.module';
import { ensureAdmin } from './admin-bootstrap.service';

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const URL = `${SERVER}/tally_int_admin_bootstrap`;
const ADMIN = { email: 'Root@Example.com', password: 'bootstrap pass 1' };

describe('admin bootstrap against real Postgres', () => {
  let db: DataSource;

  beforeAll(async () => {
    await recreateDatabase(URL);
    db = await openServiceDatabase({ url: URL, schema: 'identity', applicationName: 'admin-bootstrap-spec', migrations: IDENTITY_MIGRATIONS });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('creates one admin when several replicas start at once, and announces it once', async () => {
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => ensureAdmin(db, ADMIN)));
    expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.userId)).size).toBe(1);

    const users = await db.query(`SELECT id, roles, password_hash FROM identity.users WHERE lower(email) = lower($1)`, [ADMIN.email]);
    expect(users).toHaveLength(1);
    expect(users[0].roles).toEqual(['user', 'admin']);
    expect(await verifySecret(ADMIN.password, users[0].password_hash)).toBe(true);
    expect(users[0].password_hash).not.toContain(ADMIN.password);

    const events = await db.query(`SELECT payload FROM identity.outbox WHERE key = $1`, [users[0].id]);
    expect(events.map((e: { payload: { type: string } }) => e.payload.type)).toEqual(['user.registered']);
  });

  it('is idempotent across restarts and never changes the existing user (email matched without case)', async () => {
    const before = await db.query(`SELECT password_hash FROM identity.users`);
    const again = await ensureAdmin(db, { email: 'root@example.COM', password: 'another pass 2' });
    expect(again).toMatchObject({ outcome: 'exists', admin: true });
    expect(await db.query(`SELECT password_hash FROM identity.users`)).toEqual(before);
  });

  it('does not grant admin to a user who registered the email first', async () => {
    await db.query(
      `INSERT INTO identity.users (id, email, full_name, password_hash) VALUES (gen_random_uuid(), 'taken@example.com', 'Someone', 'x')`,
    );
    const outcome = await ensureAdmin(db, { email: 'taken@example.com', password: 'bootstrap pass 1' });
    expect(outcome).toMatchObject({ outcome: 'exists', admin: false });
    const rows = await db.query(`SELECT roles FROM identity.users WHERE email = 'taken@example.com'`);
    expect(rows[0].roles).toEqual(['user']);
  });
});
