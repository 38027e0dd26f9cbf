import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { CommandMessage, CommandReply, NotificationCommands, NotificationSettingsCommands, Topics } from '@tally/contracts';
import { CommandRouter, requireActor } from '@tally/messaging';
import { NotificationsService } from '../inbox/notifications.service';
import { PreferencesService } from '../preferences/preferences.service';
import { WebhooksService } from '../webhooks/webhooks.service';

@Controller()
export class NotificationCommandsController {
  private readonly router: CommandRouter;

  constructor(notifications: NotificationsService, preferences: PreferencesService, webhooks: WebhooksService) {
    this.router = new CommandRouter(
      'notification',
      {
        [NotificationCommands.list]: (p, m) => notifications.list(requireActor(m), p),
        [NotificationCommands.markRead]: async (p, m) => {
          await notifications.markRead(requireActor(m), p.notificationId);
          return {};
        },
        [NotificationSettingsCommands.getPreferences]: (_p, m) => preferences.get(requireActor(m)),
        [NotificationSettingsCommands.putPreferences]: (p, m) => preferences.put(requireActor(m), p),
        [NotificationSettingsCommands.createWebhook]: (p, m) => webhooks.create(requireActor(m), p, m.idempotencyKey),
        [NotificationSettingsCommands.listWebhooks]: (p, m) => webhooks.list(requireActor(m), p),
        [NotificationSettingsCommands.getWebhook]: (p, m) => webhooks.get(requireActor(m), p.webhookId),
        [NotificationSettingsCommands.deleteWebhook]: async (p, m) => {
          await webhooks.delete(requireActor(m), p.webhookId);
          return {};
        },
        [NotificationSettingsCommands.listDeliveries]: (p, m) => webhooks.deliveries(requireActor(m), p.webhookId, p),
      },
      new Logger('NotificationCommands'),
    );
  }

  @MessagePattern(Topics.notificationCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}
