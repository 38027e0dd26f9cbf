import { Injectable, OnModuleInit } from '@nestjs/common';
import { BudgetThresholdV1, GoalMilestoneV1 } from '@tally/contracts';
import { Messaging, on } from '@tally/messaging';
import { formatAmount } from '@tally/money';
import { NotificationsRepository } from '../inbox/notifications.repository';

/**
 * analytics' budget.threshold and the ledger's goal.milestone as in-app notifications. Analytics publishes each threshold once per
 * period; the inbox (same transaction as the insert) keeps a redelivered event from notifying twice.
 */
@Injectable()
export class BudgetAlertsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly notifications: NotificationsRepository,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('budget-alerts', [
      on(BudgetThresholdV1, (event, manager) => {
        const b = event.data;
        const spent = formatAmount(BigInt(b.spentMinor), b.currency);
        const amount = formatAmount(BigInt(b.amountMinor), b.currency);
        return this.notifications.insert(manager, {
          userId: b.userId,
          type: 'budget.threshold',
          title: `Budget ${b.category}: ${b.threshold}% reached`,
          body: `${spent} ${b.currency} of your ${amount} ${b.currency} ${b.category} budget is spent.`,
          data: { ...b },
        });
      }),
      on(GoalMilestoneV1, (event, manager) => {
        const g = event.data;
        const saved = formatAmount(BigInt(g.savedAmountMinor), g.currency);
        const target = formatAmount(BigInt(g.targetAmountMinor), g.currency);
        return this.notifications.insert(manager, {
          userId: g.userId,
          type: 'goal.milestone',
          title: g.milestone === 100 ? `Goal ${g.name} reached` : `Goal ${g.name}: ${g.milestone}% saved`,
          body: `${saved} ${g.currency} of ${target} ${g.currency} saved.`,
          data: { ...g },
        });
      }),
    ]);
  }
}
