import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructure } from '@tally/bootstrap';
import { NotificationCommandsController } from './commands/notification-commands.controller';
import { NotificationConfig } from './config/notification.config';
import { EMAIL_TRANSPORT, StoredEmailTransport } from './email/email-transport';
import { IdentityEmailsConsumer } from './email/identity-emails.consumer';
import { LedgerEventsConsumer } from './inbox/ledger-events.consumer';
import { NotificationsRepository } from './inbox/notifications.repository';
import { NotificationsService } from './inbox/notifications.service';
import { CreateNotificationSchema1763769600000 } from './migrations/1763769600000-create-notification-schema';
import { CreateEmails1764115300000 } from './migrations/1764115300000-create-emails';

export const NOTIFICATION_MIGRATIONS = [CreateNotificationSchema1763769600000, CreateEmails1764115300000];

@Module({})
export class AppModule {
  static forConfig(config: NotificationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: serviceInfrastructure({ config, schema: config.schema, migrations: NOTIFICATION_MIGRATIONS }),
      controllers: [NotificationCommandsController],
      providers: [
        NotificationsRepository,
        NotificationsService,
        LedgerEventsConsumer,
        { provide: EMAIL_TRANSPORT, useClass: StoredEmailTransport },
        IdentityEmailsConsumer,
      ],
    };
  }
}
