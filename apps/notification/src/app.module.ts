import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructure } from '@tally/bootstrap';
import { WalletBalancesRepository } from './balances/wallet-balances.repository';
import { NotificationCommandsController } from './commands/notification-commands.controller';
import { NOTIFICATION_CONFIG, NotificationConfig } from './config/notification.config';
import { EventNotificationsService } from './dispatch/event-notifications.service';
import { NotificationEventsConsumer } from './dispatch/notification-events.consumer';
import { Notifier } from './dispatch/notifier';
import { ReviewWatchRepository } from './dispatch/review-watch.repository';
import { EMAIL_TRANSPORT, MailboxEmailTransport } from './email/email-transport';
import { NotificationsRepository } from './inbox/notifications.repository';
import { NotificationsService } from './inbox/notifications.service';
import { CreateNotificationSchema1763769600000 } from './migrations/1763769600000-create-notification-schema';
import { PreferencesWebhooksEmails1764115200000 } from './migrations/1764115200000-preferences-webhooks-emails';
import { PreferencesRepository } from './preferences/preferences.repository';
import { PreferencesService } from './preferences/preferences.service';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

export const NOTIFICATION_MIGRATIONS = [CreateNotificationSchema1763769600000, PreferencesWebhooksEmails1764115200000];

@Module({})
export class AppModule {
  static forConfig(config: NotificationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: serviceInfrastructure({ config, schema: config.schema, migrations: NOTIFICATION_MIGRATIONS }),
      controllers: [NotificationCommandsController],
      providers: [
        { provide: NOTIFICATION_CONFIG, useValue: config },
        { provide: EMAIL_TRANSPORT, useClass: MailboxEmailTransport },
        NotificationsRepository,
        NotificationsService,
        PreferencesRepository,
        PreferencesService,
        WalletBalancesRepository,
        ReviewWatchRepository,
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
