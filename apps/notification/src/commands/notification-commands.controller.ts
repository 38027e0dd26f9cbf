import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { CommandMessage, CommandReply, NotificationCommands, NotificationSettingsCommands, Topics } from '@tally/contracts';
import { CommandRouter, route, requireActor } from '@tally/messaging';
import { NotificationsService } from '../inbox/notifications.service';
import { PreferencesService } from '../preferences/preferences.service';
import { WebhooksService } from '../webhooks/webhooks.service';

@Controller()
export class NotificationCommandsController {
  readonly router: CommandRouter;

  constructor(notifications: NotificationsService, preferences: PreferencesService, webhooks: WebhooksService) {
    this.router = new CommandRouter(
      'notification',
      [
        route(NotificationCommands.list, (p, m) => notifications.list(requireActor(m), p)),
        route(NotificationCommands.markRead, async (p, m) => {
          await notifications.markRead(requireActor(m), p.notificationId);
          return {};
        }),
        route(NotificationSettingsCommands.getPreferences, (_p, m) => preferences.get(requireActor(m))),
        route(NotificationSettingsCommands.putPreferences, (p, m) => preferences.put(requireActor(m), p)),
        route(NotificationSettingsCommands.createWebhook, (p, m) => webhooks.create(requireActor(m), p, m.idempotencyKey)),
        route(NotificationSettingsCommands.listWebhooks, (p, m) => webhooks.list(requireActor(m), p)),
        route(NotificationSettingsCommands.getWebhook, (p, m) => webhooks.get(requireActor(m), p.webhookId)),
        route(NotificationSettingsCommands.deleteWebhook, async (p, m) => {
          await webhooks.delete(requireActor(m), p.webhookId);
          return {};
        }),
        route(NotificationSettingsCommands.listDeliveries, (p, m) => webhooks.deliveries(requireActor(m), p.webhookId, p)),
      ],
      new Logger('NotificationCommands'),
    );
  }

  @MessagePattern(Topics.notificationCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}
