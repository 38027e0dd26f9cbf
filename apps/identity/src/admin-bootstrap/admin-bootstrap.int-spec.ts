import { DataSource } from 'typeorm';
import { openServiceDatabase } from '@tally/database';
import { recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { IDENTITY_MIGRATIONS, passwordHasher } from '../app.module';
import { loadIdentityConfig } from '../config/identity.config';
import { MfaRepository } from '../mfa/mfa.repository';
import { verifyTotp } from '../mfa/totp';
import { TotpSeeds } from '../mfa/totp-seeds';
import { ensureAdmin } from './admin-bootstrap.service';

const URL = testDatabaseUrl('int_admin_bootstrap');
const ADMIN = { email: 'Root@Example.com', password: 'bootstrap pass 1' };

const SEED = 'ZCXTMHUFEW2UMTE2YWZVQ2KVRMI2RS7X';

describe('admin bootstrap against real Postgres', () => {
  const config = loadIdentityConfig({});
  const passwords = passwordHasher(config);
  let db: DataSource;
  let deps: { passwords: typeof passwords; totpSeeds: TotpSeeds };

  beforeAll(async () => {
    await recreateDatabase(URL);
    db = await openServiceDatabase({ url: URL, schema: 'identity', applicationName: 'admin-bootstrap-spec', migrations: IDENTITY_MIGRATIONS });
    deps = { passwords, totpSeeds: new TotpSeeds(new MfaRepository(db), config) };
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('creates one admin when several replicas start at once, and announces it once', async () => {
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => ensureAdmin(db, ADMIN, deps)));
    expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.userId)).size).toBe(1);

    const users = await db.query(`SELECT id, roles, password_hash FROM identity.users WHERE lower(email) = lower($1)`, [ADMIN.email]);
    expect(users).toHaveLength(1);
    expect(users[0].roles).toEqual(['user', 'admin']);
    expect(users[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwords.verify(ADMIN.password, users[0].password_hash)).toEqual({ matches: true, needsRehash: false });
    expect(users[0].password_hash).not.toContain(ADMIN.password);

    const events = await db.query(`SELECT payload FROM identity.outbox WHERE key = $1`, [users[0].id]);
    expect(events.map((e: { payload: { type: string } }) => e.payload.type)).toEqual(['user.registered']);
  });

  it('is idempotent across restarts and never changes the existing user (email matched without case)', async () => {
    const before = await db.query(`SELECT password_hash FROM identity.users`);
    const again = await ensureAdmin(db, { email: 'root@example.COM', password: 'another pass 2' }, deps);
    expect(again).toMatchObject({ outcome: 'exists', admin: true });
    expect(await db.query(`SELECT password_hash FROM identity.users`)).toEqual(before);
  });

  it('does not grant admin to a user who registered the email first', async () => {
    await db.query(`INSERT INTO identity.users (id, email, full_name, password_hash) VALUES (gen_random_uuid(), 'taken@example.com', 'Someone', 'x')`);
    const outcome = await ensureAdmin(db, { email: 'taken@example.com', password: 'bootstrap pass 1', totpSecret: SEED }, deps);
    expect(outcome).toMatchObject({ outcome: 'exists', admin: false });
    const rows = await db.query(`SELECT roles FROM identity.users WHERE email = 'taken@example.com'`);
    expect(rows[0].roles).toEqual(['user']);
    // Nor a second factor of the bootstrap's choosing.
    expect(await db.query(`SELECT 1 FROM identity.user_totp t JOIN identity.users u ON u.id = t.user_id WHERE u.email = 'taken@example.com'`)).toEqual([]);
  });

  it('gives the admin the dev TOTP seed, confirmed and stored encrypted, and keeps a seed the admin confirmed since', async () => {
    const outcome = await ensureAdmin(db, { email: 'seeded@example.com', password: 'bootstrap pass 1', totpSecret: SEED }, deps);
    expect(outcome.outcome).toBe('created');
    const [row] = await db.query(`SELECT * FROM identity.user_totp WHERE user_id = $1`, [outcome.userId]);
    expect(row.confirmed_at).not.toBeNull();
    expect(row.secret_encrypted).not.toContain(SEED);
    expect(deps.totpSeeds.open(row)).toBe(SEED);
    const now = new Date();
    const { generateSync } = await import('otplib');
    expect(verifyTotp(deps.totpSeeds.open(row), generateSync({ secret: SEED, epoch: Math.floor(now.getTime() / 1000) }), null, now)).toBeDefined();

    await db.query(`UPDATE identity.user_totp SET secret_encrypted = $2 WHERE user_id = $1`, [
      outcome.userId,
      deps.totpSeeds.seal(outcome.userId, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    ]);
    await ensureAdmin(db, { email: 'seeded@example.com', password: 'bootstrap pass 1', totpSecret: SEED }, deps);
    const [after] = await db.query(`SELECT * FROM identity.user_totp WHERE user_id = $1`, [outcome.userId]);
    expect(deps.totpSeeds.open(after)).toBe('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  });
});
