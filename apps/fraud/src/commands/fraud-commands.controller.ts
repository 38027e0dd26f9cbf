import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { ADMIN_READ_ROLES, Actor, CommandMessage, CommandReply, FraudCommands, requireRole, Topics } from '@tally/contracts';
import { CommandRouter, route, requireActor } from '@tally/messaging';
import { ReviewsService } from '../reviews/reviews.service';
import { RulesService } from '../rules/rules.service';
import { StatsService } from '../stats/stats.service';

/** Fraud's admin commands; the gateway checks the role, fraud checks it again (a command on the topic is not trusted blindly). */
@Controller()
export class FraudCommandsController {
  readonly router: CommandRouter;

  constructor(reviews: ReviewsService, rules: RulesService, stats: StatsService) {
    this.router = new CommandRouter(
      'fraud',
      [
        route(FraudCommands.listReviews, async (p, m) => reviews.list(mayRead(m) && p)),
        route(FraudCommands.decideReview, async (p, m) => reviews.decide(requireAdmin(m), p)),
        route(FraudCommands.listRules, async (_p, m) => mayRead(m) && rules.list()),
        route(FraudCommands.updateRule, async (p, m) => rules.update(requireAdmin(m), p)),
        route(FraudCommands.stats, async (p, m) => stats.stats(mayRead(m) && p)),
      ],
      new Logger('FraudCommands'),
    );
  }

  @MessagePattern(Topics.fraudCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}

function requireAdmin(message: CommandMessage): Actor {
  return requireRole(requireActor(message), 'admin');
}

/** Reviews, rules and statistics: admins and auditors read them. */
function mayRead(message: CommandMessage): Actor {
  return requireRole(requireActor(message), ...ADMIN_READ_ROLES);
}
