import { HighValueRule, PossibleDuplicateRule, UnusualAmountRule } from './amount-rules';
import { FraudRule } from './fraud-rule';
import { OffHoursRule } from './off-hours-rule';
import { HighVelocityRule, SuspiciousVelocityRule } from './velocity-rules';

/**
 * Every rule fraud can run, in the order flags are listed. A new rule: write its class and add it
 * here; at start-up its row is created in fraud.rules with the class's defaults (admins tune it there).
 */
export const FRAUD_RULES: readonly FraudRule[] = [
  new HighVelocityRule(),
  new SuspiciousVelocityRule(),
  new UnusualAmountRule(),
  new HighValueRule(),
  new OffHoursRule(),
  new PossibleDuplicateRule(),
];
