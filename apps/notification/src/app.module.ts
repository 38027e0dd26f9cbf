import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructure } from '@tally/bootstrap';
import { WalletBalancesRepository } from './balances/wallet-balances.repository';
import { NotificationCommandsController } from './commands/notification-commands.controller';
import { NOTIFICATION_CONFIG, NotificationConfig } from './config/notification.config';
import { EventNotificationsService } from './dispatch/event-notifications.service';
import { NotificationEventsConsumer } from './dispatch/notification-events.consumer';
import { Notifier } from './dispatch/notifier';
import { ReviewWatchRepository } from './dispatch/review-watch.repository';
import { UserContactsRepository } from './dispatch/user-contacts.repository';
import { EmailDeliveriesRepository, EmailOutbox } from './email/email-outbox';
import { EmailSenderWorker } from './email/email-sender.worker';
import { NotificationsRepository } from './inbox/notifications.repository';
import { NotificationsService } from './inbox/notifications.service';
import { CreateNotificationSchema1763769600000 } from './migrations/1763769600000-create-notification-schema';
import { PreferencesWebhooks1764115200000 } from './migrations/1764115200000-preferences-webhooks';
import { CreateEmails1764115300000 } from './migrations/1764115300000-create-emails';
import { EmailOutbox1764400000000 } from './migrations/1764400000000-email-outbox';
import { RuntimeRole1766100000000 } from './migrations/1766100000000-runtime-role';
import { PreferencesRepository } from './preferences/preferences.repository';
import { PreferencesService } from './preferences/preferences.service';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

export const NOTIFICATION_MIGRATIONS = [
  CreateNotificationSchema1763769600000,
  PreferencesWebhooks1764115200000,
  CreateEmails1764115300000,
  EmailOutbox1764400000000,
  RuntimeRole1766100000000,
];

@Module({})
export class AppModule {
  static forConfig(config: NotificationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: serviceInfrastructure({ config, schema: config.schema, migrations: NOTIFICATION_MIGRATIONS }),
      controllers: [NotificationCommandsController],
      providers: [
        { provide: NOTIFICATION_CONFIG, useValue: config },
        EmailOutbox,
        EmailDeliveriesRepository,
        EmailSenderWorker,
        NotificationsRepository,
        NotificationsService,
        PreferencesRepository,
        PreferencesService,
        WalletBalancesRepository,
        ReviewWatchRepository,
        UserContactsRepository,
        WebhooksRepository,
        WebhooksService,
        WebhookDeliveryWorker,
        Notifier,
        EventNotificationsService,
        NotificationEventsConsumer,
      ],
    };
  }
}
