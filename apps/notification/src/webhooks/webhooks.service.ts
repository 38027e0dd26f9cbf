import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  Actor,
  CreatedWebhookView,
  DomainError,
  isUuid,
  ListQuery,
  NotificationEventTypes,
  Page,
  uuidv7,
  WebhookDeliveryView,
  WebhookView,
} from '@tally/contracts';
import { NOTIFICATION_CONFIG, NotificationConfig } from '../config/notification.config';
import { isNotificationEventType } from '../preferences/notification-preferences';
import { newWebhookSecret, WebhookSecretBox } from './webhook-secret-box';
import { webhookUrlProblem } from './webhook-url';
import { toWebhookView, WebhooksRepository } from './webhooks.repository';

const MAX_WEBHOOKS_PER_USER = 10;

/** sortBy: only createdAt. */
export type PageQuery = ListQuery;

/** api-v1's list params: limit 1..100 (50), offset, sortBy createdAt, sortOrder desc (newest first) or asc. */
export function pageOf(query: PageQuery | undefined): { limit: number; offset: number; order: 'asc' | 'desc' } {
  const limit = Math.min(100, Math.max(1, Math.trunc(Number(query?.limit ?? 50)) || 50));
  const offset = Math.max(0, Math.trunc(Number(query?.offset ?? 0)) || 0);
  if (query?.sortBy !== undefined && query.sortBy !== 'createdAt') {
    throw new DomainError('VALIDATION_FAILED', 'sortBy must be createdAt', { sortBy: query.sortBy });
  }
  if (query?.sortOrder !== undefined && query.sortOrder !== 'asc' && query.sortOrder !== 'desc') {
    throw new DomainError('VALIDATION_FAILED', 'sortOrder must be asc or desc', { sortOrder: query.sortOrder });
  }
  return { limit, offset, order: query?.sortOrder === 'asc' ? 'asc' : 'desc' };
}

@Injectable()
export class WebhooksService {
  private readonly box: WebhookSecretBox;

  constructor(
    private readonly webhooks: WebhooksRepository,
    @Inject(NOTIFICATION_CONFIG) private readonly config: NotificationConfig,
  ) {
    this.box = new WebhookSecretBox(config.webhooks.secretKey);
  }

  /**
   * Registers an endpoint and answers its signing secret, the only time it is shown. The same
   * Idempotency-Key with the same body answers the same webhook (and secret); with another body, 409.
   */
  async create(actor: Actor, input: { url?: unknown; events?: unknown }, idempotencyKey: string | undefined): Promise<CreatedWebhookView> {
    if (!idempotencyKey) throw new DomainError('VALIDATION_FAILED', 'An Idempotency-Key header is required');
    const problems: Record<string, string> = {};
    const urlProblem = webhookUrlProblem(input?.url, this.config.webhooks.devHosts);
    if (urlProblem) problems.url = urlProblem;
    const events = input?.events;
    if (!Array.isArray(events) || events.length === 0) {
      problems.events = 'events must be a non-empty list of event types';
    } else {
      const unknown = events.filter((e) => !isNotificationEventType(e));
      if (unknown.length > 0) problems.events = `unknown event types: ${unknown.map(String).join(', ')} (known: ${NotificationEventTypes.join(', ')})`;
      else if (new Set(events).size !== events.length) problems.events = 'events must not repeat';
    }
    if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The webhook is not valid', problems);
    const url = input.url as string;
    const eventTypes = [...(events as string[])].sort();
    const requestHash = createHash('sha256')
      .update(JSON.stringify({ url, events: eventTypes }))
      .digest('hex');

    // A replay of a creation that went through is answered even at the cap.
    if ((await this.webhooks.count(actor.userId)) >= MAX_WEBHOOKS_PER_USER && !(await this.webhooks.byIdempotencyKey(actor.userId, idempotencyKey))) {
      throw new DomainError('VALIDATION_FAILED', `At most ${MAX_WEBHOOKS_PER_USER} webhooks per user`, { limit: MAX_WEBHOOKS_PER_USER });
    }
    const secret = newWebhookSecret();
    const row = await this.webhooks.create({
      id: uuidv7(),
      user_id: actor.userId,
      url,
      events: eventTypes,
      secret_encrypted: this.box.seal(secret),
      idempotency_key: idempotencyKey,
      request_hash: requestHash,
    });
    if (row.request_hash !== requestHash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body');
    }
    return { ...toWebhookView(row), secret: this.box.open(row.secret_encrypted) };
  }

  list(actor: Actor, query: PageQuery): Promise<Page<WebhookView>> {
    const { limit, offset, order } = pageOf(query);
    return this.webhooks.list(actor.userId, limit, offset, order);
  }

  async get(actor: Actor, id: string): Promise<WebhookView> {
    const row = isUuid(id) ? await this.webhooks.get(actor.userId, id) : undefined;
    if (!row) throw new DomainError('NOT_FOUND', 'Webhook not found');
    return toWebhookView(row);
  }

  async delete(actor: Actor, id: string): Promise<void> {
    if (!isUuid(id) || !(await this.webhooks.delete(actor.userId, id))) throw new DomainError('NOT_FOUND', 'Webhook not found');
  }

  async deliveries(actor: Actor, id: string, query: PageQuery): Promise<Page<WebhookDeliveryView>> {
    await this.get(actor, id);
    const { limit, offset, order } = pageOf(query);
    return this.webhooks.deliveries(actor.userId, id, limit, offset, order);
  }
}
