import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { Actor, CommandMessage, CommandReply, DomainError, FraudCommands, Topics } from '@tally/contracts';
import { CommandRouter, requireActor } from '@tally/messaging';
import { ReviewsService } from '../reviews/reviews.service';
import { RulesService } from '../rules/rules.service';
import { StatsService } from '../stats/stats.service';

/** Fraud's admin commands; the gateway checks the role, fraud checks it again (a command on the topic is not trusted blindly). */
@Controller()
export class FraudCommandsController {
  private readonly router: CommandRouter;

  constructor(reviews: ReviewsService, rules: RulesService, stats: StatsService) {
    this.router = new CommandRouter(
      'fraud',
      {
        [FraudCommands.listReviews]: async (p, m) => reviews.list(requireAdmin(m) && p),
        [FraudCommands.decideReview]: async (p, m) => reviews.decide(requireAdmin(m), p),
        [FraudCommands.listRules]: async (_p, m) => requireAdmin(m) && rules.list(),
        [FraudCommands.updateRule]: async (p, m) => rules.update(requireAdmin(m), p),
        [FraudCommands.stats]: async (p, m) => stats.stats(requireAdmin(m) && p),
      },
      new Logger('FraudCommands'),
    );
  }

  @MessagePattern(Topics.fraudCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}

function requireAdmin(message: CommandMessage): Actor {
  const actor = requireActor(message);
  if (!actor.roles.includes('admin')) throw new DomainError('FORBIDDEN', 'This command needs the admin role');
  return actor;
}
