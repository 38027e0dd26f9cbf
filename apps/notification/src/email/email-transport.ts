import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { uuidv7 } from '@tally/contracts';

export interface OutgoingEmail {
  userId: string;
  to: string;
  template: string;
  subject: string;
  body: string;
}

/** Where outgoing email goes. An SMTP or provider transport would implement the same call. */
export interface EmailTransport {
  /** Delivers within the consumer's transaction, so an event redelivered after a crash sends no second email. */
  deliver(manager: EntityManager, email: OutgoingEmail): Promise<void>;
}

export const EMAIL_TRANSPORT = Symbol('EMAIL_TRANSPORT');

/**
 * The development transport: there is no mail server here, so an email is "sent" by storing it in
 * notification.emails. It logs nothing, since the body may carry a single-use token.
 */
@Injectable()
export class StoredEmailTransport implements EmailTransport {
  async deliver(manager: EntityManager, email: OutgoingEmail): Promise<void> {
    await manager.query(
      `INSERT INTO notification.emails (id, user_id, to_address, template, subject, body) VALUES ($1, $2, $3, $4, $5, $6)`,
      [uuidv7(), email.userId, email.to, email.template, email.subject, email.body],
    );
  }
}
