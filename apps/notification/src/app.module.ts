import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructure } from '@tally/bootstrap';
import { NotificationCommandsController } from './commands/notification-commands.controller';
import { NotificationConfig } from './config/notification.config';
import { LedgerEventsConsumer } from './inbox/ledger-events.consumer';
import { BudgetAlertsConsumer } from './budget-alerts/budget-alerts.consumer';
import { NotificationsRepository } from './inbox/notifications.repository';
import { NotificationsService } from './inbox/notifications.service';
import { CreateNotificationSchema1763769600000 } from './migrations/1763769600000-create-notification-schema';

export const NOTIFICATION_MIGRATIONS = [CreateNotificationSchema1763769600000];

@Module({})
export class AppModule {
  static forConfig(config: NotificationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: serviceInfrastructure({ config, schema: config.schema, migrations: NOTIFICATION_MIGRATIONS }),
      controllers: [NotificationCommandsController],
      providers: [NotificationsRepository, NotificationsService, LedgerEventsConsumer, BudgetAlertsConsumer],
    };
  }
}
