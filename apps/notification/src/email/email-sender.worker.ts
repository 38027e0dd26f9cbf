import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { createTransport, Transporter } from 'nodemailer';
import { Counter } from 'prom-client';
import { openSealed, x25519PrivateKey } from '@tally/auth';
import { metricsRegistry } from '@tally/observability';
import { EmailConfig, NOTIFICATION_CONFIG, NotificationConfig } from '../config/notification.config';
import { DrainLoop } from '../dispatch/drain-loop';
import { retryDelayMs } from '../webhooks/webhook-delivery.worker';
import { ClaimedEmail, EmailDeliveriesRepository } from './email-outbox';
import { SECRET_PLACEHOLDER } from './email-templates';

const BATCH = 10;

const emailAttempts = new Counter({
  name: 'email_send_attempts_total',
  help: 'SMTP sending attempts by outcome (sent, retry, failed = given up)',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});

/** The SMTP client of SMTP_URL: TLS per configuration (smtps:// for implicit TLS, SMTP_REQUIRE_TLS for STARTTLS). */
export function smtpTransport(config: EmailConfig): Transporter {
  return createTransport({
    url: config.smtpUrl,
    requireTLS: config.requireTls,
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized, minVersion: 'TLSv1.2' },
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
  });
}

/**
 * Sends queued emails over SMTP after their inbox transaction committed: claims due ones (SKIP
 * LOCKED + lease), fills in the sealed token (opened here, the only place that can), sends, then
 * marks the row sent, which drops the sealed token and leaves a body without it. A failure is
 * retried with backoff, a permanent one (SMTP 5xx) or the last attempt gives up. At-least-once:
 * the Message-ID is the row id, so a receiver dedupes a resend after a crash between send and mark.
 */
@Injectable()
export class EmailSenderWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EmailSender');
  private readonly config: EmailConfig;
  private readonly privateKey: KeyObject;
  private readonly transport: Transporter;
  private readonly drain: DrainLoop;

  constructor(
    private readonly emails: EmailDeliveriesRepository,
    @Inject(NOTIFICATION_CONFIG) config: NotificationConfig,
  ) {
    this.config = config.email;
    this.privateKey = x25519PrivateKey(config.email.linkPrivateKey);
    this.transport = smtpTransport(config.email);
    this.drain = new DrainLoop(() => this.runOnce(), {
      batch: BATCH,
      pollMs: this.config.pollMs,
      onError: (err) => this.logger.warn({ msg: 'email sending pass failed', error: err.message }),
    });
  }

  onApplicationBootstrap(): void {
    this.drain.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain.stop();
    this.transport.close();
  }

  /** One pass: claims up to a batch and attempts each; answers how many it claimed. */
  async runOnce(): Promise<number> {
    const claimed = await this.emails.claimDue(BATCH, this.config.timeoutMs * 3 + 30_000);
    await Promise.all(claimed.map((email) => this.attempt(email)));
    return claimed.length;
  }

  private async attempt(email: ClaimedEmail): Promise<void> {
    let text: string;
    try {
      text = this.render(email);
    } catch {
      // A secret that does not open will never open: give up at once (and drop it).
      await this.emails.recordFailure(email.id, 'sealed secret could not be opened', null);
      emailAttempts.inc({ outcome: 'failed' });
      this.logger.error({ msg: 'email given up: its sealed secret does not open with EMAIL_LINK_PRIVATE_KEY', emailId: email.id });
      return;
    }
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: email.to_address,
        subject: email.subject,
        text,
        messageId: `<${email.id}@notification.tally>`,
        headers: { 'X-Tally-Email-Id': email.id },
      });
    } catch (err) {
      const e = err as Error & { responseCode?: number };
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      const giveUp = permanent || email.attempts >= this.config.maxAttempts;
      // The id and the SMTP answer only: never the address or the body.
      this.logger.warn({
        msg: giveUp ? 'email given up' : 'email not sent, will retry',
        emailId: email.id,
        attempt: email.attempts,
        responseCode: e.responseCode,
        error: e.message,
      });
      await this.emails.recordFailure(email.id, e.message, giveUp ? null : retryDelayMs(email.attempts, this.config));
      emailAttempts.inc({ outcome: giveUp ? 'failed' : 'retry' });
      return;
    }
    await this.emails.markSent(email.id);
    emailAttempts.inc({ outcome: 'sent' });
  }

  private render(email: ClaimedEmail): string {
    if (!email.sealed_secret) return email.body;
    const secret = openSealed(this.privateKey, email.sealed_secret, email.seal_context ?? '');
    return email.body.replaceAll(SECRET_PLACEHOLDER, secret);
  }
}
