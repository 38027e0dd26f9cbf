import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '@tally/database';
import { Page, uuidv7, WebhookDeliveryView, WebhookView } from '@tally/contracts';

export interface WebhookRow {
  id: string;
  user_id: string;
  url: string;
  events: string[];
  secret_encrypted: string;
  idempotency_key: string;
  request_hash: string;
  created_at: Date;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
}

/** A delivery claimed for one attempt, with what is needed to send it. */
export interface ClaimedDelivery {
  id: string;
  event_id: string;
  event_type: string;
  payload: string;
  attempts: number;
  url: string;
  secret_encrypted: string;
}

export function toWebhookView(row: WebhookRow): WebhookView {
  return { id: row.id, url: row.url, events: row.events, createdAt: new Date(row.created_at).toISOString() };
}

/** Webhook endpoints and their deliveries. Every read and delete by a user is filtered by that user. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts unless this user already used the idempotency key; answers the row stored under the key either way. */
  async create(row: Omit<WebhookRow, 'created_at'>): Promise<WebhookRow> {
    const inserted: WebhookRow[] = await this.dataSource.query(
      `INSERT INTO notification.webhooks (id, user_id, url, events, secret_encrypted, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING *`,
      [row.id, row.user_id, row.url, row.events, row.secret_encrypted, row.idempotency_key, row.request_hash],
    );
    return inserted[0] ?? ((await this.byIdempotencyKey(row.user_id, row.idempotency_key)) as WebhookRow);
  }

  async byIdempotencyKey(userId: string, idempotencyKey: string): Promise<WebhookRow | undefined> {
    const rows: WebhookRow[] = await this.dataSource.query(`SELECT * FROM notification.webhooks WHERE user_id = $1 AND idempotency_key = $2`, [
      userId,
      idempotencyKey,
    ]);
    return rows[0];
  }

  async count(userId: string): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM notification.webhooks WHERE user_id = $1`, [userId]);
    return rows[0].n;
  }

  async list(userId: string, limit: number, offset: number, order: 'asc' | 'desc'): Promise<Page<WebhookView>> {
    const direction = order === 'asc' ? 'ASC' : 'DESC';
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT * FROM notification.webhooks WHERE user_id = $1 ORDER BY created_at ${direction}, id ${direction} LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
    return { items: rows.map(toWebhookView), total: await this.count(userId), limit, offset };
  }

  async get(userId: string, id: string): Promise<WebhookRow | undefined> {
    const rows: WebhookRow[] = await this.dataSource.query(`SELECT * FROM notification.webhooks WHERE id = $1 AND user_id = $2`, [id, userId]);
    return rows[0];
  }

  /** Deletes the endpoint and, by cascade, its deliveries (pending ones are not sent). */
  async delete(userId: string, id: string): Promise<boolean> {
    const rows = returningRows(await this.dataSource.query(`DELETE FROM notification.webhooks WHERE id = $1 AND user_id = $2 RETURNING id`, [id, userId]));
    return rows.length > 0;
  }

  /** Queues one delivery per endpoint of the user subscribed to the type, in the caller's transaction. */
  async enqueue(manager: EntityManager, userId: string, eventId: string, eventType: string, payload: string): Promise<number> {
    const hooks: { id: string }[] = await manager.query(`SELECT id FROM notification.webhooks WHERE user_id = $1 AND $2 = ANY(events)`, [userId, eventType]);
    for (const hook of hooks) {
      await manager.query(
        `INSERT INTO notification.webhook_deliveries (id, webhook_id, user_id, event_id, event_type, payload)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT webhook_deliveries_once DO NOTHING`,
        [uuidv7(), hook.id, userId, eventId, eventType, payload],
      );
    }
    return hooks.length;
  }

  async deliveries(userId: string, webhookId: string, limit: number, offset: number, order: 'asc' | 'desc'): Promise<Page<WebhookDeliveryView>> {
    const direction = order === 'asc' ? 'ASC' : 'DESC';
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT * FROM notification.webhook_deliveries WHERE webhook_id = $1 AND user_id = $2
        ORDER BY created_at ${direction}, id ${direction} LIMIT $3 OFFSET $4`,
      [webhookId, userId, limit, offset],
    );
    const total: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM notification.webhook_deliveries WHERE webhook_id = $1 AND user_id = $2`,
      [webhookId, userId],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        webhookId: r.webhook_id,
        eventId: r.event_id,
        eventType: r.event_type,
        status: r.status,
        attempts: r.attempts,
        lastStatus: r.last_status,
        lastError: r.last_error,
        nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at).toISOString() : null,
        createdAt: new Date(r.created_at).toISOString(),
        deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
      })),
      total: total[0].n,
      limit,
      offset,
    };
  }

  /**
   * Claims due deliveries for one attempt each: SKIP LOCKED so replicas take different rows, and a
   * lease (claimed_until) so no other replica sends the same one while this attempt is in flight.
   * A replica that dies mid-attempt leaves the lease to run out; the delivery is then tried again.
   */
  async claimDue(batch: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return returningRows(
      await this.dataSource.query(
        `UPDATE notification.webhook_deliveries d
            SET attempts = d.attempts + 1, claimed_until = now() + make_interval(secs => $2::double precision / 1000)
           FROM notification.webhooks w
          WHERE w.id = d.webhook_id AND d.id IN (
                SELECT id FROM notification.webhook_deliveries
                 WHERE status = 'pending' AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
                 ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.event_id, d.event_type, d.payload, d.attempts, w.url, w.secret_encrypted`,
        [batch, leaseMs],
      ),
    ) as ClaimedDelivery[];
  }

  /** Records an attempt's outcome; `attempts` guards against a stale attempt whose lease ran out. */
  async recordAttempt(
    id: string,
    attempts: number,
    outcome: { delivered: true; status: number } | { delivered: false; status: number | null; error: string | null; retryInMs: number | null },
  ): Promise<void> {
    if (outcome.delivered) {
      await this.dataSource.query(
        `UPDATE notification.webhook_deliveries SET status = 'delivered', last_status = $3, last_error = NULL, delivered_at = now(), claimed_until = NULL
          WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
        [id, attempts, outcome.status],
      );
      return;
    }
    await this.dataSource.query(
      `UPDATE notification.webhook_deliveries
          SET status = CASE WHEN $5::double precision IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = CASE WHEN $5::double precision IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $5::double precision / 1000) END,
              last_status = $3, last_error = $4, claimed_until = NULL
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [id, attempts, outcome.status, outcome.error, outcome.retryInMs],
    );
  }
}
