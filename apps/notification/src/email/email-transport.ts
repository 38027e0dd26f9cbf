import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { uuidv7 } from '@tally/contracts';

/** One outgoing email. `to` may be absent for a user's notification (notification holds no addresses yet). */
export interface EmailMessage {
  to?: string | null;
  userId?: string | null;
  /** e.g. 'verify_email', 'reset_password', or the notification's event type. */
  kind: string;
  subject: string;
  text: string;
}

/**
 * How notification sends email. `send` runs inside the caller's transaction (the inbox's), so an
 * email is recorded exactly once with the event that caused it; a real provider's transport would
 * queue it the same way and send after commit. Never log the message: it may carry a one-time link.
 */
export interface EmailTransport {
  send(manager: EntityManager, message: EmailMessage): Promise<void>;
}

export const EMAIL_TRANSPORT = Symbol('EMAIL_TRANSPORT');

/** The dev transport (the only one today; there is no SMTP here): every email lands in notification.emails. */
@Injectable()
export class MailboxEmailTransport implements EmailTransport {
  async send(manager: EntityManager, message: EmailMessage): Promise<void> {
    await manager.query(
      `INSERT INTO notification.emails (id, user_id, to_address, kind, subject, body) VALUES ($1, $2, $3, $4, $5, $6)`,
      [uuidv7(), message.userId ?? null, message.to ?? null, message.kind, message.subject, message.text],
    );
  }
}
