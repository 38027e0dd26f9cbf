import Big from 'big.js';
import { parseAmount } from '@tally/money';
import { decimalProblems, FraudRule, intProblems, RuleOutcome, RuleParameters, ScoredTransaction, unknownKeyProblems, UserHistory } from './fraud-rule';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Above multiplier × the user's average debit over windowDays, in the same currency (voided ones
 * left out). A user with no earlier debit in that currency has no average: the rule does not hit.
 * Compared exactly: amount × count > multiplier × sum.
 */
export class UnusualAmountRule implements FraudRule {
  readonly code = 'unusual_amount';
  readonly flag = 'UNUSUAL_AMOUNT';
  readonly description = "Above multiplier × the user's average debit in that currency over windowDays";
  readonly defaultWeight = 20;
  readonly defaultParameters = { multiplier: '3', windowDays: 30 };

  parameterProblems(p: RuleParameters): string[] {
    return [...unknownKeyProblems(p, this.defaultParameters), ...decimalProblems(p, 'multiplier'), ...intProblems(p, 'windowDays', 1, 366)];
  }

  async evaluate(tx: ScoredTransaction, history: UserHistory, p: RuleParameters): Promise<RuleOutcome> {
    const windowDays = p.windowDays as number;
    const multiplier = new Big(p.multiplier as string);
    const { count, sumMinor } = await history.amounts(tx.currency, new Date(tx.at.getTime() - windowDays * DAY_MS), tx.at);
    if (count === 0) return { hit: false, evidence: { earlierDebits: 0, windowDays } };
    const averageMinor = new Big(sumMinor.toString()).div(count).round(0, Big.roundHalfUp).toString();
    const hit = new Big(tx.amountMinor.toString()).times(count).gt(multiplier.times(sumMinor.toString()));
    return {
      hit,
      evidence: { earlierDebits: count, averageMinor, amountMinor: tx.amountMinor.toString(), currency: tx.currency, multiplier: p.multiplier, windowDays },
    };
  }
}

/**
 * Above threshold (major units) in the base currency. The ledger puts the debit's base-currency
 * equivalent on the pending event; when that is in another currency than the rule's, or missing
 * (no rate), the transaction's own amount serves if it is in the rule's currency, else the rule
 * cannot judge and does not hit.
 */
export class HighValueRule implements FraudRule {
  readonly code = 'high_value';
  readonly flag = 'HIGH_VALUE';
  readonly description = 'Above threshold (major units) in the base currency';
  readonly defaultWeight = 20;
  readonly defaultParameters = { threshold: '10000', currency: 'MYR' };

  parameterProblems(p: RuleParameters): string[] {
    const problems = [...unknownKeyProblems(p, this.defaultParameters), ...decimalProblems(p, 'threshold')];
    if (typeof p.currency !== 'string' || !/^[A-Z]{3}$/.test(p.currency)) problems.push('currency must be an ISO 4217 code');
    else if (problems.length === 0) {
      try {
        parseAmount(p.threshold, p.currency);
      } catch {
        problems.push(`threshold must have at most the minor digits of ${p.currency}`);
      }
    }
    return problems;
  }

  async evaluate(tx: ScoredTransaction, _history: UserHistory, p: RuleParameters): Promise<RuleOutcome> {
    const currency = p.currency as string;
    const amountMinor = tx.baseCurrency === currency && tx.baseAmountMinor !== null ? tx.baseAmountMinor : tx.currency === currency ? tx.amountMinor : null;
    if (amountMinor === null) return { hit: false, evidence: { skipped: `no amount in ${currency}` } };
    const thresholdMinor = parseAmount(p.threshold, currency);
    return { hit: amountMinor > thresholdMinor, evidence: { amountMinor: amountMinor.toString(), thresholdMinor: thresholdMinor.toString(), currency } };
  }
}

/** Same user, amount and payee within windowMinutes: flagged for monitoring, no points by default (a double click). */
export class PossibleDuplicateRule implements FraudRule {
  readonly code = 'possible_duplicate';
  readonly flag = 'POSSIBLE_DUPLICATE';
  readonly description = 'Same amount and payee as another debit within windowMinutes (flag only)';
  readonly defaultWeight = 0;
  readonly defaultParameters = { windowMinutes: 5 };

  parameterProblems(p: RuleParameters): string[] {
    return [...unknownKeyProblems(p, this.defaultParameters), ...intProblems(p, 'windowMinutes', 1, 24 * 60)];
  }

  async evaluate(tx: ScoredTransaction, history: UserHistory, p: RuleParameters): Promise<RuleOutcome> {
    const windowMinutes = p.windowMinutes as number;
    const same = await history.countSame(tx.amountMinor, tx.currency, tx.payee, new Date(tx.at.getTime() - windowMinutes * 60_000), tx.at);
    return { hit: same > 0, evidence: { sameEarlier: same, payee: tx.payee, windowMinutes } };
  }
}
