import { FraudDecisionOutcome, RuleHitView } from '@tally/contracts';
import { FraudRule, ScoredTransaction, UserHistory } from '../rules/fraud-rule';

/** A rule's row in fraud.rules: what admins edit. */
export interface RuleSetting {
  code: string;
  weight: number;
  enabled: boolean;
  parameters: Record<string, unknown>;
}

export interface ScoreResult {
  score: number;
  flags: string[];
  hits: RuleHitView[];
}

/**
 * Runs every enabled rule that has both a class and a row, in registry order; the score is the sum
 * of the weights of the rules hit, capped at 100. A rule that only flags has weight 0.
 */
export async function scoreTransaction(
  tx: ScoredTransaction,
  history: UserHistory,
  rules: readonly FraudRule[],
  settings: readonly RuleSetting[],
): Promise<ScoreResult> {
  const byCode = new Map(settings.map((s) => [s.code, s]));
  const hits: RuleHitView[] = [];
  for (const rule of rules) {
    const setting = byCode.get(rule.code);
    if (!setting?.enabled) continue;
    const outcome = await rule.evaluate(tx, history, setting.parameters);
    if (outcome.hit) hits.push({ rule: rule.code, flag: rule.flag, points: setting.weight, evidence: outcome.evidence });
  }
  const score = Math.min(
    100,
    hits.reduce((sum, h) => sum + h.points, 0),
  );
  return { score, flags: hits.map((h) => h.flag), hits };
}

/** Where a score lands (FRAUD_REVIEW_THRESHOLD, FRAUD_HIGH_RISK_THRESHOLD, FRAUD_REJECT_THRESHOLD). */
export interface DecisionBands {
  /** At or above: held for review (the seed's 60). */
  review: number;
  /** At or above: high-risk review, first in the queue (the seed's 80). */
  highRisk: number;
  /** At or above: voided at once; null = off (the default: the seed never rejects automatically). */
  reject: number | null;
}

export type Band = 'approve' | 'review' | 'high_risk' | 'reject';

export function decide(score: number, bands: DecisionBands): { decision: FraudDecisionOutcome; band: Band } {
  if (bands.reject !== null && score >= bands.reject) return { decision: 'reject', band: 'reject' };
  if (score >= bands.highRisk) return { decision: 'review', band: 'high_risk' };
  if (score >= bands.review) return { decision: 'review', band: 'review' };
  return { decision: 'approve', band: 'approve' };
}
