import { createPublicKey } from 'node:crypto';
import { DataSource } from 'typeorm';
import { sealFor, x25519PrivateKey } from '@tally/auth';
import { emailTokenSealContext, uuidv7 } from '@tally/contracts';
import { openServiceDatabase } from '@tally/database';
import { recreateDatabase, SmtpSink, testDatabaseUrl } from '@tally/testing';
import { NOTIFICATION_MIGRATIONS } from '../app.module';
import { loadNotificationConfig } from '../config/notification.config';
import { EmailDeliveriesRepository, EmailOutbox } from './email-outbox';
import { EmailSenderWorker } from './email-sender.worker';
import { composeTokenEmail, SECRET_REMOVED } from './email-templates';

const URL = testDatabaseUrl('int_notification_email');
const SMTP_PORT = Number(process.env.TEST_PORT_BASE ?? 18080) + 26;

describe('email over SMTP from the outbox (real Postgres, a real SMTP server)', () => {
  const config = loadNotificationConfig({ SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`, EMAIL_RETRY_BASE_MS: '50', EMAIL_MAX_ATTEMPTS: '3' });
  const sink = new SmtpSink({ port: SMTP_PORT });
  const outbox = new EmailOutbox();
  let db: DataSource;
  let worker: EmailSenderWorker;

  beforeAll(async () => {
    await recreateDatabase(URL);
    db = await openServiceDatabase({ url: URL, schema: 'notification', applicationName: 'email-int-spec', migrations: NOTIFICATION_MIGRATIONS });
    await sink.start();
    worker = new EmailSenderWorker(new EmailDeliveriesRepository(db), config);
  });

  afterAll(async () => {
    await worker?.beforeApplicationShutdown();
    await sink.stop();
    await db?.destroy();
  });

  /** A password-reset email as notification queues it: the token sealed by identity to notification's key. */
  async function queueReset(to: string, token: string, manager = db.manager): Promise<string> {
    const userId = uuidv7();
    const sealed = sealFor(createPublicKey(x25519PrivateKey(config.email.linkPrivateKey)), token, emailTokenSealContext({ userId, purpose: 'reset_password' }));
    const composed = composeTokenEmail({ fullName: 'Ann', purpose: 'reset_password', expiresAt: new Date().toISOString() }, config.email.linkBaseUrl);
    return outbox.enqueue(manager, {
      userId,
      to,
      ...composed,
      sealed: { secret: sealed, context: emailTokenSealContext({ userId, purpose: 'reset_password' }) },
    });
  }

  async function row(id: string): Promise<{ status: string; attempts: number; body: string; sealed_secret: string | null; last_error: string | null }> {
    const [r] = await db.query(`SELECT status, attempts, body, sealed_secret, last_error FROM notification.emails WHERE id = $1`, [id]);
    return r;
  }

  const mailFor = (to: string) => sink.messages().filter((m) => m.to.includes(to));

  it('sends only after the queuing transaction commits, with the token filled in; then keeps no readable copy', async () => {
    const token = 'T'.repeat(43);
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    const id = await queueReset('ann@example.com', token, runner.manager);
    expect(await worker.runOnce()).toBe(0);
    await runner.commitTransaction();
    await runner.release();
    expect(await worker.runOnce()).toBe(1);

    const [mail] = mailFor('ann@example.com');
    expect(mail.messageId).toBe(`<${id}@notification.tally>`);
    expect(mail.subject).toBe('Reset your Tally password');
    expect(mail.text).toContain(`\n${token}\n`);
    expect(mail.text).toContain(`#/reset-password?token=${token}`);
    const stored = await row(id);
    expect(stored).toMatchObject({ status: 'sent', attempts: 1, sealed_secret: null });
    expect(stored.body).not.toContain(token);
    expect(stored.body).toContain(SECRET_REMOVED);
    expect(
      await db.query(`SELECT 1 FROM notification.emails WHERE body LIKE '%' || $1 || '%' OR sealed_secret IS NOT NULL AND status <> 'pending'`, [token]),
    ).toEqual([]);
  });

  it('retries a temporary SMTP refusal with backoff and delivers once; gives up at once on a permanent one', async () => {
    sink.refuseNext(1, 451);
    const id = await queueReset('bob@example.com', 'B'.repeat(43));
    await worker.runOnce();
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await row(id)).last_error).toContain('451');
    expect(mailFor('bob@example.com')).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await worker.runOnce();
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, sealed_secret: null });
    expect(mailFor('bob@example.com')).toHaveLength(1);

    sink.refuseNext(1, 550);
    const refused = await queueReset('cat@example.com', 'C'.repeat(43));
    await worker.runOnce();
    const failed = await row(refused);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, sealed_secret: null });
    expect(failed.body).not.toContain('C'.repeat(43));
  });

  it('a resend (a crash between the SMTP answer and marking the row) carries the same Message-ID, so it is kept once', async () => {
    const id = await queueReset('dan@example.com', 'D'.repeat(43));
    await worker.runOnce();
    const before = sink.deliveries;
    // As if the sender died before its UPDATE: the row is due again, secret and all.
    const sealed = sealFor(createPublicKey(x25519PrivateKey(config.email.linkPrivateKey)), 'D'.repeat(43), 'ctx');
    await db.query(
      `UPDATE notification.emails SET status = 'pending', next_attempt_at = now(), sealed_secret = $2, seal_context = 'ctx', body = replace(body, $3, '{{secret}}') WHERE id = $1`,
      [id, sealed, SECRET_REMOVED],
    );
    await worker.runOnce();
    expect(sink.deliveries).toBe(before + 1);
    expect(mailFor('dan@example.com')).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'sent', sealed_secret: null });
  });

  it('gives up (dropping it) on a sealed token that does not open with its context', async () => {
    const id = await queueReset('eve@example.com', 'E'.repeat(43));
    await db.query(`UPDATE notification.emails SET seal_context = 'another user:reset_password' WHERE id = $1`, [id]);
    await worker.runOnce();
    expect(await row(id)).toMatchObject({ status: 'failed', sealed_secret: null, last_error: 'sealed secret could not be opened' });
    expect(mailFor('eve@example.com')).toHaveLength(0);
  });
});
