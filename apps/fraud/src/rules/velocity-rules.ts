import { FraudRule, intProblems, MINUTE_MS, RuleOutcome, RuleParameters, ScoredTransaction, unknownKeyProblems, UserHistory } from './fraud-rule';

/** More than maxCount debits (this one included) within the last windowMinutes. */
abstract class VelocityRule implements FraudRule {
  abstract readonly code: string;
  abstract readonly flag: string;
  abstract readonly description: string;
  abstract readonly defaultParameters: { maxCount: number; windowMinutes: number };
  readonly defaultWeight = 20;

  parameterProblems(p: RuleParameters): string[] {
    return [...unknownKeyProblems(p, this.defaultParameters), ...intProblems(p, 'maxCount', 1, 100_000), ...intProblems(p, 'windowMinutes', 1, 7 * 24 * 60)];
  }

  async evaluate(tx: ScoredTransaction, history: UserHistory, p: RuleParameters): Promise<RuleOutcome> {
    const maxCount = p.maxCount as number;
    const windowMinutes = p.windowMinutes as number;
    const earlier = await history.count(new Date(tx.at.getTime() - windowMinutes * MINUTE_MS), tx.at);
    const count = earlier + 1;
    return { hit: count > maxCount, evidence: { count, maxCount, windowMinutes } };
  }
}

export class HighVelocityRule extends VelocityRule {
  readonly code = 'high_velocity';
  readonly flag = 'HIGH_VELOCITY';
  readonly description = 'More than maxCount debits within windowMinutes (the seed: 5 in 10 minutes)';
  readonly defaultParameters = { maxCount: 5, windowMinutes: 10 };
}

export class SuspiciousVelocityRule extends VelocityRule {
  readonly code = 'suspicious_velocity';
  readonly flag = 'SUSPICIOUS_VELOCITY';
  readonly description = 'More than maxCount debits within windowMinutes (the seed: 10 in an hour)';
  readonly defaultParameters = { maxCount: 10, windowMinutes: 60 };
}
