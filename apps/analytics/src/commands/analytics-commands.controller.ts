import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { AnalyticsCommands, CommandMessage, CommandReply, Topics } from '@tally/contracts';
import { CommandRouter, requireActor } from '@tally/messaging';
import { SpendingService } from '../spending/spending.service';

@Controller()
export class AnalyticsCommandsController {
  private readonly router: CommandRouter;

  constructor(spending: SpendingService) {
    this.router = new CommandRouter(
      'analytics',
      { [AnalyticsCommands.spending]: (p, m) => spending.spending(requireActor(m), p) },
      new Logger('AnalyticsCommands'),
    );
  }

  @MessagePattern(Topics.analyticsCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}
