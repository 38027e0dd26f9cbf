import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Counter } from 'prom-client';
import { metricsRegistry } from '@tally/observability';
import { NOTIFICATION_CONFIG, NotificationConfig, WebhookConfig } from '../config/notification.config';
import { DrainLoop } from '../dispatch/drain-loop';
import { postWebhook } from './webhook-sender';
import { WebhookSecretBox } from './webhook-secret-box';
import { signWebhookBody } from './webhook-signature';
import { ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

const BATCH = 10;

const deliveryAttempts = new Counter({
  name: 'webhook_delivery_attempts_total',
  help: 'Webhook delivery attempts by outcome (delivered, retry, failed = given up)',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});

/** Wait before attempt n+1 after n failed ones: base × 2^(n−1), at most max. */
export function retryDelayMs(failedAttempts: number, config: Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxMs'>): number {
  return Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, failedAttempts - 1));
}

/**
 * Sends queued webhook deliveries: claims due ones (SKIP LOCKED + lease, so replicas never send the
 * same attempt twice), signs and POSTs each, then marks it delivered (2xx), schedules a retry with
 * backoff, or gives up after WEBHOOK_MAX_ATTEMPTS. At-least-once: a receiver dedupes on X-Tally-Delivery.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly box: WebhookSecretBox;
  private readonly config: WebhookConfig;
  private readonly drain: DrainLoop;

  constructor(
    private readonly webhooks: WebhooksRepository,
    @Inject(NOTIFICATION_CONFIG) config: NotificationConfig,
  ) {
    this.config = config.webhooks;
    this.box = new WebhookSecretBox(config.webhooks.secretKey);
    this.drain = new DrainLoop(() => this.runOnce(), {
      batch: BATCH,
      pollMs: this.config.pollMs,
      onError: (err) => this.logger.warn({ msg: 'webhook delivery pass failed', error: err.message }),
    });
  }

  onApplicationBootstrap(): void {
    this.drain.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain.stop();
  }

  /** Looks for due work now instead of at the next poll. */
  nudge(): void {
    this.drain.nudge();
  }

  /** One pass: claims up to a batch and attempts each; answers how many it claimed. */
  async runOnce(): Promise<number> {
    const claimed = await this.webhooks.claimDue(BATCH, this.config.timeoutMs + 30_000);
    await Promise.all(claimed.map((d) => this.attempt(d)));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const secret = this.box.open(delivery.secret_encrypted);
    const signature = signWebhookBody(secret, delivery.payload, Math.floor(Date.now() / 1000));
    const result = await postWebhook(
      delivery.url,
      delivery.payload,
      {
        'x-tally-signature': signature,
        'x-tally-event': delivery.event_type,
        'x-tally-event-id': delivery.event_id,
        'x-tally-delivery': delivery.id,
      },
      { timeoutMs: this.config.timeoutMs, devHosts: this.config.devHosts },
    );
    if (result.status !== undefined && result.status >= 200 && result.status < 300) {
      await this.webhooks.recordAttempt(delivery.id, delivery.attempts, { delivered: true, status: result.status });
      deliveryAttempts.inc({ outcome: 'delivered' });
      return;
    }
    const giveUp = delivery.attempts >= this.config.maxAttempts;
    // The delivery id and outcome only: the URL may carry tokens in its path and the secret never leaves this method.
    this.logger.warn({
      msg: giveUp ? 'webhook delivery given up' : 'webhook delivery failed, will retry',
      deliveryId: delivery.id,
      attempt: delivery.attempts,
      status: result.status,
      error: result.error,
    });
    await this.webhooks.recordAttempt(delivery.id, delivery.attempts, {
      delivered: false,
      status: result.status ?? null,
      error: result.error ?? (result.status !== undefined ? `HTTP ${result.status}` : null),
      retryInMs: giveUp ? null : retryDelayMs(delivery.attempts, this.config),
    });
    deliveryAttempts.inc({ outcome: giveUp ? 'failed' : 'retry' });
  }
}
