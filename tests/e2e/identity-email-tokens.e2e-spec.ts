import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { allTopics, replyTopic, Topics } from '@tally/contracts';
import { ApiClient, readTopic, waitFor, testKafkaClient } from '@tally/testing';
import { GATEWAY_URL, TEST_DATABASE_URL, TEST_KAFKA } from '../stack-env';
import { emailCount, emailedToken, securityEvents } from './emails';
import { signUpUser } from './sign-up';

// The test stack sets EMAIL_VERIFICATION_TTL_SECONDS and PASSWORD_RESET_TTL_SECONDS to 10 (tests/stack-env.ts).
const TOKEN_TTL_MS = 10_000;

/** Email verification and password reset: single-use, expiring tokens emailed through notification. */
describe('identity: email verification and password reset', () => {
  const api = new ApiClient(GATEWAY_URL);

  it('registration emails a verification token; it verifies once, then is spent', async () => {
    const ann = await signUpUser(api, 'ann');
    const token = await emailedToken(ann.email, 'verify_email');
    expect((await ann.api.get('/v1/me')).body.emailVerified).toBe(false);
    expect((await api.post('/v1/auth/verify-email', { token }, null)).status).toBe(204);
    expect((await ann.api.get('/v1/me')).body.emailVerified).toBe(true);
    const again = await api.post('/v1/auth/verify-email', { token }, null);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { token: expect.any(String) } });
  });

  it("the token is in clear nowhere but the email: not in identity, not on identity's topics or any DLQ (used or not), not in notification once sent", async () => {
    const fay = await signUpUser(api, 'fay');
    const token = await emailedToken(fay.email, 'verify_email');
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    const kafka = testKafkaClient('email-token-e2e', { kafka: TEST_KAFKA });
    try {
      const hashes = await db.query(`SELECT token_hash FROM identity.user_tokens WHERE user_id = $1`, [fay.userId]);
      expect(hashes.rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
      // Sealed before it was ever written: no scrubbing needed, nothing to wait for.
      expect((await db.query(`SELECT 1 FROM identity.outbox WHERE payload::text LIKE '%' || $1 || '%'`, [token])).rowCount).toBe(0);
      const sent = await waitFor(
        async () => {
          const rows = await db.query(`SELECT status, body, sealed_secret FROM notification.emails WHERE user_id = $1 AND template = 'verify_email'`, [
            fay.userId,
          ]);
          return rows.rows[0]?.status === 'sent' ? rows.rows[0] : undefined;
        },
        { what: 'the email to be marked sent' },
      );
      expect(sent.sealed_secret).toBeNull();
      expect(sent.body).not.toContain(token);
      expect((await db.query(`SELECT 1 FROM notification.emails WHERE body LIKE '%' || $1 || '%'`, [token])).rowCount).toBe(0);
      // Used, through the gateway: it reaches identity as its digest only.
      expect((await api.post('/v1/auth/verify-email', { token }, null)).status).toBe(204);
      const onBus = await readTopic(kafka, Topics.identityEvents);
      const mine = onBus.filter((m) => m.key === fay.userId);
      expect(mine.map((m) => JSON.parse(m.value ?? '{}').type)).toEqual(expect.arrayContaining(['user.registered', 'user.email-token-issued']));
      const identityTopics = [Topics.identityCommands, Topics.identityCredentials].flatMap((t) => [t, replyTopic(t)]);
      for (const topic of [Topics.identityEvents, ...identityTopics, ...allTopics().filter((t) => t.endsWith('.dlq'))]) {
        const leaked = (topic === Topics.identityEvents ? onBus : await readTopic(kafka, topic)).filter((m) => (m.value ?? '').includes(token));
        expect({ topic, leaked: leaked.length }).toEqual({ topic, leaked: 0 });
      }
    } finally {
      await db.end();
    }
  });

  it('a verification token past its TTL is refused', async () => {
    const bob = await signUpUser(api, 'bob');
    const token = await emailedToken(bob.email, 'verify_email');
    await new Promise((r) => setTimeout(r, TOKEN_TTL_MS + 500));
    expect((await api.post('/v1/auth/verify-email', { token }, null)).status).toBe(400);
    expect((await bob.api.get('/v1/me')).body.emailVerified).toBe(false);
  });

  it('refuses a missing or unknown token', async () => {
    expect((await api.post('/v1/auth/verify-email', {}, null)).status).toBe(400);
    expect((await api.post('/v1/auth/verify-email', { token: 'x'.repeat(43) }, null)).status).toBe(400);
  });

  it('forgot-password answers the same for a known and an unknown email, and only the known one gets mail', async () => {
    const cat = await signUpUser(api, 'cat');
    const ghost = `ghost-${randomUUID().slice(0, 8)}@example.com`;
    const known = await api.post('/v1/auth/forgot-password', { email: cat.email }, null);
    const unknown = await api.post('/v1/auth/forgot-password', { email: ghost }, null);
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    await emailedToken(cat.email, 'password_reset');
    expect(await emailCount(ghost)).toBe(0);
    expect((await api.post('/v1/auth/forgot-password', {}, null)).status).toBe(400);
  });

  it('a reset sets the new password once, revokes every session and the API keys, and the token cannot be used again', async () => {
    const dan = await signUpUser(api, 'dan');
    const key = await dan.api.post('/v1/me/api-keys', { name: 'ci', scopes: ['wallets:read'] });
    expect(key.status).toBe(201);
    const since = new Date();
    expect((await api.post('/v1/auth/forgot-password', { email: dan.email }, null)).status).toBe(202);
    const token = await emailedToken(dan.email, 'password_reset', since);

    // A token works only for its own purpose.
    expect((await api.post('/v1/auth/verify-email', { token }, null)).status).toBe(400);
    const weak = await api.post('/v1/auth/reset-password', { token, newPassword: 'onlyletters' }, null);
    expect(weak.status).toBe(400);
    expect(weak.body.error).toBe('VALIDATION_FAILED');

    // A weak attempt leaves the token usable.
    expect((await api.post('/v1/auth/reset-password', { token, newPassword: 'brand new pass 7' }, null)).status).toBe(204);
    expect((await dan.api.get('/v1/me')).status).toBe(401);
    expect((await api.post('/v1/auth/refresh', { refreshToken: dan.refreshToken }, null)).status).toBe(401);
    expect((await api.request<any>('GET', '/v1/wallets', undefined, { 'X-API-Key': key.body.key })).status).toBe(401);
    expect((await api.post('/v1/auth/login', { email: dan.email, password: dan.password }, null)).status).toBe(401);
    expect((await api.post('/v1/auth/login', { email: dan.email, password: 'brand new pass 7' }, null)).status).toBe(200);

    const reuse = await api.post('/v1/auth/reset-password', { token, newPassword: 'another pass 8' }, null);
    expect(reuse.status).toBe(400);
    expect((await api.post('/v1/auth/login', { email: dan.email, password: 'another pass 8' }, null)).status).toBe(401);
    expect((await securityEvents(dan.userId)).map((e) => e.kind)).toEqual(expect.arrayContaining(['password_reset_requested', 'password_changed']));
  });

  it('a reset token past its TTL is refused and the password stays', async () => {
    const eve = await signUpUser(api, 'eve');
    const since = new Date();
    await api.post('/v1/auth/forgot-password', { email: eve.email }, null);
    const token = await emailedToken(eve.email, 'password_reset', since);
    await new Promise((r) => setTimeout(r, TOKEN_TTL_MS + 500));
    expect((await api.post('/v1/auth/reset-password', { token, newPassword: 'brand new pass 7' }, null)).status).toBe(400);
    expect((await api.post('/v1/auth/login', { email: eve.email, password: eve.password }, null)).status).toBe(200);
  });

  it('refuses a reset without a token or with a short password (400)', async () => {
    expect((await api.post('/v1/auth/reset-password', { newPassword: 'brand new pass 7' }, null)).status).toBe(400);
    expect((await api.post('/v1/auth/reset-password', { token: 'x'.repeat(43), newPassword: 'short' }, null)).status).toBe(400);
    expect((await api.post('/v1/auth/reset-password', { token: 'x'.repeat(43), newPassword: 'brand new pass 7' }, null)).status).toBe(400);
  });
});
