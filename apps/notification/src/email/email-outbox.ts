import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '@tally/contracts';
import { returningRows } from '@tally/database';
import { SECRET_PLACEHOLDER, SECRET_REMOVED } from './email-templates';

export interface OutgoingEmail {
  userId: string;
  to: string;
  template: string;
  subject: string;
  body: string;
  /** A token sealed to notification's key (identity's email links), filled in at SECRET_PLACEHOLDER when sent. */
  sealed?: { secret: string; context: string };
}

/** An email claimed for one sending attempt. */
export interface ClaimedEmail {
  id: string;
  to_address: string;
  subject: string;
  body: string;
  attempts: number;
  sealed_secret: string | null;
  seal_context: string | null;
}

/**
 * Queues an email in the caller's (inbox) transaction: an event redelivered after a crash is
 * skipped by the inbox, so it queues no second email. Sending happens after the commit
 * (EmailSenderWorker); the row id is the message id a receiver dedupes on.
 */
@Injectable()
export class EmailOutbox {
  async enqueue(manager: EntityManager, email: OutgoingEmail): Promise<string> {
    const id = uuidv7();
    await manager.query(
      `INSERT INTO notification.emails (id, user_id, to_address, template, subject, body, sealed_secret, seal_context)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, email.userId, email.to, email.template, email.subject, email.body, email.sealed?.secret ?? null, email.sealed?.context ?? null],
    );
    return id;
  }
}

/** The sender's side of notification.emails. */
@Injectable()
export class EmailDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Claims due emails for one attempt each: counted, and leased for leaseMs so no other replica takes them meanwhile. */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedEmail[]> {
    return returningRows<ClaimedEmail>(
      await this.dataSource.query(
        `UPDATE notification.emails e SET attempts = e.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::float8 / 1000)
        WHERE e.id IN (
          SELECT id FROM notification.emails WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING e.id, e.to_address, e.subject, e.body, e.attempts, e.sealed_secret, e.seal_context`,
        [limit, leaseMs],
      ),
    );
  }

  /** Sent: the sealed secret is dropped and the stored body says where it was. */
  async markSent(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification.emails SET status = 'sent', sent_at = now(), last_error = NULL, sealed_secret = NULL, seal_context = NULL,
              body = replace(body, $2, $3)
        WHERE id = $1`,
      [id, SECRET_PLACEHOLDER, SECRET_REMOVED],
    );
  }

  /** A failed attempt: retried after retryInMs, or (null) given up, the sealed secret dropped with it. */
  async recordFailure(id: string, error: string, retryInMs: number | null): Promise<void> {
    if (retryInMs === null) {
      await this.dataSource.query(
        `UPDATE notification.emails SET status = 'failed', last_error = $2, sealed_secret = NULL, seal_context = NULL, body = replace(body, $3, $4)
          WHERE id = $1`,
        [id, error.slice(0, 500), SECRET_PLACEHOLDER, SECRET_REMOVED],
      );
      return;
    }
    await this.dataSource.query(
      `UPDATE notification.emails SET last_error = $2, next_attempt_at = now() + make_interval(secs => $3::float8 / 1000) WHERE id = $1`,
      [id, error.slice(0, 500), retryInMs],
    );
  }
}
