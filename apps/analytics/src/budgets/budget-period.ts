import { BudgetPeriod } from '@tally/contracts';

const MONTHS: Record<BudgetPeriod, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/** The calendar period (UTC) of a budget that contains `at`: start inclusive, end exclusive. */
export function budgetPeriod(period: BudgetPeriod, at: Date): { start: Date; end: Date } {
  const months = MONTHS[period];
  const year = at.getUTCFullYear();
  const firstMonth = at.getUTCMonth() - (at.getUTCMonth() % months);
  return { start: new Date(Date.UTC(year, firstMonth, 1)), end: new Date(Date.UTC(year, firstMonth + months, 1)) };
}

/** spent / amount in percent with two decimals, in integer arithmetic (no float ever touches the amounts). */
export function percentOf(spent: bigint, amount: bigint): number {
  const hundredths = (spent * 10000n) / amount;
  return Number(hundredths) / 100;
}

/** The alertAt thresholds reached by `spent` of `amount`, lowest first. */
export function reachedThresholds(alertAt: number[], spent: bigint, amount: bigint): number[] {
  return alertAt.filter((t) => spent * 100n >= amount * BigInt(t));
}
