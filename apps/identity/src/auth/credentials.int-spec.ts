import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { hashSecret, newX25519KeyPair, openSealed, tokenDigest, x25519PrivateKey } from '@tally/auth';
import { Actor, CreatedApiKey, emailTokenSealContext, uuidv7 } from '@tally/contracts';
import { recreateDatabase, testDatabaseUrl, testKafka, localKafkaSasl, provisionLocalBus } from '@tally/testing';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AppModule } from '../app.module';
import { loadIdentityConfig } from '../config/identity.config';
import { EmailTokensService } from '../email-tokens/email-tokens.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordsService } from '../passwords/passwords.service';
import { AuthService } from './auth.service';

// Real Postgres and Kafka, identity's own composition root: scrypt hashes (~0.3 s each) are made here.
jest.setTimeout(60_000);

const URL = testDatabaseUrl('int_identity_credentials');
const PASSWORD = 'correct horse 42';
const notificationKeys = newX25519KeyPair();

describe('identity credentials against real Postgres and Kafka', () => {
  let app: INestApplicationContext;
  let db: DataSource;
  let auth: AuthService;
  let passwords: PasswordsService;
  let hasher: PasswordHasher;
  let probe: Client;

  beforeAll(async () => {
    await recreateDatabase(URL);
    // As identity's own principal, with only its ACLs (granted here as the broker's admin).
    await provisionLocalBus(testKafka().brokers);
    const kafkaSasl = localKafkaSasl('identity');
    const config = loadIdentityConfig({
      DATABASE_URL: URL,
      KAFKA_BROKERS: testKafka().brokers,
      KAFKA_USERNAME: kafkaSasl.username,
      KAFKA_PASSWORD: kafkaSasl.password,
      LOG_LEVEL: 'warn',
      // A slower hash than the default makes the window in which a transaction must not be open wide.
      PASSWORD_HASH_TIME_COST: '8',
      // This spec holds notification's private key: it reads the sealed token as notification would.
      EMAIL_LINK_PUBLIC_KEY: notificationKeys.publicKey,
    });
    app = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: false });
    await app.init();
    db = app.get(DataSource);
    auth = app.get(AuthService);
    passwords = app.get(PasswordsService);
    hasher = app.get(PasswordHasher);
    probe = new Client({ connectionString: URL });
    await probe.connect();
  });

  afterAll(async () => {
    await probe?.end();
    await app?.close();
  });

  async function register(name: string): Promise<{ id: string; email: string }> {
    const email = `${name}-${uuidv7().slice(-8)}@example.com`;
    const user = await auth.register({ email, password: PASSWORD, fullName: name });
    return { id: user.id, email };
  }

  /**
   * Identity's connections inside a transaction right now, other than the probe's and the outbox
   * relay's (which claims its batches in transactions of its own, unrelated to any login).
   */
  async function openTransactions(): Promise<string[]> {
    const rows = await probe.query(
      `SELECT query FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'tally-identity' AND xact_start IS NOT NULL
          AND query NOT ILIKE '%outbox%'`,
    );
    return rows.rows.map((r: { query: string }) => r.query.slice(0, 120));
  }

  it('checks a password with no transaction open anywhere in identity while the hash runs', async () => {
    // The probe sees identity's transactions when there are some.
    await db.transaction(async () => expect((await openTransactions()).length).toBeGreaterThan(0));
    const user = await register('hash');
    let samplesDuringHash = 0;
    const transactionsDuringHash: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        if (hasher.stats.running > 0) {
          const open = await openTransactions();
          // Only a sample taken wholly inside a hash counts: running before and after the query.
          if (hasher.stats.running > 0) {
            samplesDuringHash++;
            transactionsDuringHash.push(...open);
          }
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 4; i++) {
      await auth.login({ email: user.email, password: PASSWORD });
      await expect(auth.login({ email: user.email, password: 'wrong password 1' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(auth.login({ email: `nobody-${i}@example.com`, password: PASSWORD })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    sampling = false;
    await sampler;
    expect(samplesDuringHash).toBeGreaterThan(5);
    expect(transactionsDuringHash).toEqual([]);
  });

  it('verifies a scrypt hash from before argon2id and replaces it at that login', async () => {
    const user = await register('legacy');
    await db.query(`UPDATE identity.users SET password_hash = $2 WHERE id = $1`, [user.id, await hashSecret('old password 77')]);
    await expect(auth.login({ email: user.email, password: 'wrong password 1' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const [still] = await db.query(`SELECT password_hash FROM identity.users WHERE id = $1`, [user.id]);
    expect(still.password_hash).toMatch(/^scrypt\$/);
    await auth.login({ email: user.email, password: 'old password 77' });
    const [after] = await db.query(`SELECT password_hash FROM identity.users WHERE id = $1`, [user.id]);
    expect(after.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=8,p=1\$/);
    await expect(auth.login({ email: user.email, password: 'old password 77' })).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('20 concurrent wrong passwords: exactly 5 are checked, the rest refused as locked, for 30 minutes', async () => {
    const user = await register('guess');
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => auth.login({ email: user.email, password: 'wrong password 1' })));
    const codes = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : 'OK'));
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(5);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED')).toHaveLength(15);
    const kinds: { kind: string }[] = await db.query(`SELECT kind FROM identity.security_events WHERE user_id = $1`, [user.id]);
    expect(kinds.filter((k) => k.kind === 'login_failed')).toHaveLength(5);
    expect(kinds.filter((k) => k.kind === 'account_locked')).toHaveLength(1);
    const [row] = await db.query(`SELECT extract(epoch FROM locked_until - now())::int AS seconds FROM identity.users WHERE id = $1`, [user.id]);
    expect(row.seconds).toBeGreaterThan(29 * 60);
    // Locked means locked: the right password too, before any hash.
    await expect(auth.login({ email: user.email, password: PASSWORD })).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('a session ends at its absolute lifetime whatever refreshes happen', async () => {
    const user = await register('lifetime');
    const login = await auth.login({ email: user.email, password: PASSWORD });
    const sessionId = JSON.parse(Buffer.from(login.accessToken.split('.')[1], 'base64url').toString()).sid as string;
    expect(Date.parse(login.sessionExpiresAt) - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
    const refreshed = await auth.refresh({ refreshToken: login.refreshToken });
    expect(refreshed.sessionExpiresAt).toBe(login.sessionExpiresAt);
    const [session] = await db.query(`SELECT expires_at <= absolute_expires_at AS within FROM identity.sessions WHERE id = $1`, [sessionId]);
    expect(session.within).toBe(true);
    // The lifetime passes (set the clock of this one row forward): refresh and the gateway's session check both refuse.
    await db.query(`UPDATE identity.sessions SET absolute_expires_at = now() - interval '1 second', expires_at = now() - interval '1 second' WHERE id = $1`, [
      sessionId,
    ]);
    await expect(auth.refresh({ refreshToken: refreshed.refreshToken })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(auth.checkSession({ userId: user.id, sessionId })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('a password change ends the other sessions and the API keys (unless kept); a wrong current password counts', async () => {
    const apiKeys = app.get(ApiKeysService);
    const user = await register('change');
    const here = await auth.login({ email: user.email, password: PASSWORD });
    const there = await auth.login({ email: user.email, password: PASSWORD });
    const sid = (t: string) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()).sid as string;
    const actor: Actor = { userId: user.id, roles: ['user'], sessionId: sid(here.accessToken) };
    const key = (await apiKeys.create(actor, { name: 'ci', scopes: ['wallets:read'] }, uuidv7())) as CreatedApiKey;

    await expect(passwords.change(actor, { currentPassword: 'wrong password 1', newPassword: 'another horse 43' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'INVALID_CREDENTIALS' },
    });
    const [counted] = await db.query(`SELECT failed_logins FROM identity.users WHERE id = $1`, [user.id]);
    expect(counted.failed_logins).toBe(1);

    await passwords.change(actor, { currentPassword: PASSWORD, newPassword: 'another horse 43' });
    await expect(auth.checkSession({ userId: user.id, sessionId: sid(here.accessToken) })).resolves.toMatchObject({ userId: user.id });
    await expect(auth.checkSession({ userId: user.id, sessionId: sid(there.accessToken) })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(apiKeys.resolve({ key: key.key })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(auth.login({ email: user.email, password: PASSWORD })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    const kept = (await apiKeys.create(actor, { name: 'kept', scopes: ['wallets:read'] }, uuidv7())) as CreatedApiKey;
    await passwords.change(actor, { currentPassword: 'another horse 43', newPassword: 'third horse 44', keepApiKeys: true });
    await expect(apiKeys.resolve({ key: kept.key })).resolves.toMatchObject({ userId: user.id });
  });

  it('re-authentication: ok with the right password, INVALID_CREDENTIALS with a wrong one, counted into the lockout', async () => {
    const user = await register('reauth');
    const actor: Actor = { userId: user.id, roles: ['user'] };
    await expect(passwords.reauthenticate(actor, { password: PASSWORD })).resolves.toEqual({});
    for (let i = 0; i < 5; i++) {
      await expect(passwords.reauthenticate(actor, { password: 'wrong password 1' })).rejects.toMatchObject({ details: { reason: 'INVALID_CREDENTIALS' } });
    }
    await expect(passwords.reauthenticate(actor, { password: PASSWORD })).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    await expect(auth.login({ email: user.email, password: PASSWORD })).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    const kinds: { kind: string }[] = await db.query(`SELECT kind FROM identity.security_events WHERE user_id = $1 ORDER BY id`, [user.id]);
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['reauthenticated', 'reauthentication_failed', 'account_locked']));
  });

  it('an email token leaves identity sealed to notification only, and a reset with it revokes the API keys', async () => {
    const apiKeys = app.get(ApiKeysService);
    const emailTokens = app.get(EmailTokensService);
    const user = await register('reset');
    const login = await auth.login({ email: user.email, password: PASSWORD });
    const sid = JSON.parse(Buffer.from(login.accessToken.split('.')[1], 'base64url').toString()).sid as string;
    const key = (await apiKeys.create(
      { userId: user.id, roles: ['user'], sessionId: sid },
      { name: 'ci', scopes: ['wallets:read'] },
      uuidv7(),
    )) as CreatedApiKey;
    await emailTokens.forgotPassword({ email: user.email });
    const [row] = await db.query(
      `SELECT payload FROM identity.outbox WHERE key = $1 AND payload->>'type' = 'user.email-token-issued' AND payload->'data'->>'purpose' = 'reset_password'`,
      [user.id],
    );
    const data = row.payload.data as { sealedToken: string; purpose: 'reset_password'; userId: string };
    expect(row.payload.version).toBe(2);
    expect(JSON.stringify(row.payload)).not.toMatch(/"token"/);
    const token = openSealed(x25519PrivateKey(notificationKeys.privateKey), data.sealedToken, emailTokenSealContext(data));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(row.payload)).not.toContain(token);
    // Bound to its user and purpose: the same ciphertext does not open as another's.
    expect(() =>
      openSealed(x25519PrivateKey(notificationKeys.privateKey), data.sealedToken, emailTokenSealContext({ userId: uuidv7(), purpose: 'reset_password' })),
    ).toThrow();

    await emailTokens.resetPassword({ tokenHash: tokenDigest(token), newPassword: 'fresh horse 45' });
    await expect(auth.checkSession({ userId: user.id, sessionId: sid })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(apiKeys.resolve({ key: key.key })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // No security event on the bus names a session.
    const events: { payload: { data: Record<string, unknown> } }[] = await db.query(
      `SELECT payload FROM identity.outbox WHERE payload->>'type' = 'security.event'`,
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((e) => 'sessionId' in e.payload.data)).toEqual([]);
  });
});
