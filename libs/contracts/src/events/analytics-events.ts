import { Topics } from '../topics';
import { defineEvent } from './event-contract';

// Analytics' alerts as notification consumes them. Added by notification (issue 4) for analytics to
// publish; amounts are integer minor units as strings.

/** A budget's spending crossed one of its alertAt percentages in a period. */
export interface BudgetThresholdReachedV1 {
  userId: string;
  budgetId: string;
  category: string;
  /** The alertAt step crossed, e.g. 80. */
  percent: number;
  spentMinor: string;
  amountMinor: string;
  currency: string;
  periodStart: string;
}

export const BudgetThresholdReachedV1 = defineEvent<BudgetThresholdReachedV1>({
  type: 'budget.threshold',
  version: 1,
  topic: Topics.analyticsEvents,
  shape: {
    userId: 'uuid',
    budgetId: 'uuid',
    category: 'string',
    percent: 'int',
    spentMinor: 'minor',
    amountMinor: 'minor',
    currency: 'currency',
    periodStart: 'string',
  },
});

/** A goal's saved amount reached a milestone (e.g. 25, 50, 75, 100 percent). */
export interface GoalMilestoneReachedV1 {
  userId: string;
  goalId: string;
  name: string;
  percent: number;
  savedMinor: string;
  targetMinor: string;
  currency: string;
}

export const GoalMilestoneReachedV1 = defineEvent<GoalMilestoneReachedV1>({
  type: 'goal.milestone',
  version: 1,
  topic: Topics.analyticsEvents,
  shape: { userId: 'uuid', goalId: 'uuid', name: 'string', percent: 'int', savedMinor: 'minor', targetMinor: 'minor', currency: 'currency' },
});
