import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EmailTokenIssuedV1 } from '@tally/contracts';
import { Messaging, on } from '@tally/messaging';
import { composeTokenEmail } from './email-templates';
import { EMAIL_TRANSPORT, EmailTransport } from './email-transport';

/** Emails identity's verification and password-reset tokens (never logs the event's data). */
@Injectable()
export class IdentityEmailsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    @Inject(EMAIL_TRANSPORT) private readonly transport: EmailTransport,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('email', [
      on(EmailTokenIssuedV1, async (event, manager) => {
        const email = composeTokenEmail(event.data);
        await this.transport.deliver(manager, { userId: event.data.userId, to: event.data.email, ...email });
      }),
    ]);
  }
}
