import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { AnalyticsCommands, CommandMessage, CommandReply, DomainError, Topics } from '@tally/contracts';
import { CommandRouter, route, requireActor } from '@tally/messaging';
import { AuditLogService } from '../audit/audit-log.service';
import { BudgetsService } from '../budgets/budgets.service';
import { PlatformAnalyticsService } from '../platform/platform-analytics.service';
import { SpendingService } from '../spending/spending.service';

@Controller()
export class AnalyticsCommandsController {
  readonly router: CommandRouter;

  constructor(spending: SpendingService, budgets: BudgetsService, platform: PlatformAnalyticsService, audit: AuditLogService) {
    this.router = new CommandRouter(
      'analytics',
      [
        route(AnalyticsCommands.spending, (p, m) => spending.spending(requireActor(m), p)),
        route(AnalyticsCommands.monthlySummary, (_p, m) => spending.monthlySummary(requireActor(m))),
        route(AnalyticsCommands.incomeExpense, (p, m) => spending.incomeExpense(requireActor(m), p)),
        route(AnalyticsCommands.createBudget, (p, m) => budgets.create(requireActor(m), p, requireIdempotencyKey(m))),
        route(AnalyticsCommands.listBudgets, (p, m) => budgets.list(requireActor(m), p)),
        route(AnalyticsCommands.getBudget, (p, m) => budgets.get(requireActor(m), p.budgetId)),
        route(AnalyticsCommands.budgetProgress, (p, m) => budgets.progress(requireActor(m), p.budgetId)),
        route(AnalyticsCommands.updateBudget, (p, m) => budgets.update(requireActor(m), p)),
        route(AnalyticsCommands.deleteBudget, async (p, m) => {
          await budgets.delete(requireActor(m), p.budgetId);
          return {};
        }),
        // Both check the role again (admin or auditor): the gateway's check is not trusted alone.
        route(AnalyticsCommands.platformAnalytics, (p, m) => platform.analytics(requireActor(m), p)),
        route(AnalyticsCommands.auditLogs, (p, m) => audit.list(requireActor(m), p)),
      ],
      new Logger('AnalyticsCommands'),
    );
  }

  @MessagePattern(Topics.analyticsCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}

/** Creating a budget carries the gateway's Idempotency-Key: a retry answers the same budget. */
function requireIdempotencyKey(message: CommandMessage): string {
  const key = message.idempotencyKey;
  if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
    throw new DomainError('VALIDATION_FAILED', 'An Idempotency-Key of 1 to 255 characters is required');
  }
  return key;
}
