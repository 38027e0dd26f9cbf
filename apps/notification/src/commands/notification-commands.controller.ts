import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { CommandMessage, CommandReply, NotificationCommands, Topics } from '@tally/contracts';
import { CommandRouter, requireActor } from '@tally/messaging';
import { NotificationsService } from '../inbox/notifications.service';

@Controller()
export class NotificationCommandsController {
  private readonly router: CommandRouter;

  constructor(notifications: NotificationsService) {
    this.router = new CommandRouter(
      'notification',
      {
        [NotificationCommands.list]: (p, m) => notifications.list(requireActor(m), p),
        [NotificationCommands.markRead]: async (p, m) => {
          await notifications.markRead(requireActor(m), p.notificationId);
          return {};
        },
      },
      new Logger('NotificationCommands'),
    );
  }

  @MessagePattern(Topics.notificationCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}
