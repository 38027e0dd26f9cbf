import { Topics } from '../topics';
import { defineEvent } from './event-contract';

/**
 * A budget's spending in its category reached one of its alertAt thresholds (percent) in the
 * current period. Published once per budget, period and threshold, whatever the redeliveries.
 */
export interface BudgetThresholdV1 {
  budgetId: string;
  userId: string;
  category: string;
  currency: string;
  /** The percent of alertAt that was reached, e.g. 80. */
  threshold: number;
  /** Integer minor units. */
  amountMinor: string;
  spentMinor: string;
  periodStart: string;
  periodEnd: string;
}

export const BudgetThresholdV1 = defineEvent<BudgetThresholdV1>({
  type: 'budget.threshold',
  version: 1,
  topic: Topics.analyticsEvents,
  shape: {
    budgetId: 'uuid',
    userId: 'uuid',
    category: 'string',
    currency: 'currency',
    threshold: 'int',
    amountMinor: 'minor',
    spentMinor: 'minor',
    periodStart: 'string',
    periodEnd: 'string',
  },
});
