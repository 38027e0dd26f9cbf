/** What a rule sees: the transaction and the user's recent history from fraud's projection. */
export interface ScoringInput {
  amountMinor: bigint;
  /** Debits by the same user in the last 10 minutes, before this one. */
  countLast10Minutes: number;
  /** Amount (minor units) above which a debit is high value, in the transaction's currency. */
  highValueMinor: bigint;
}

export interface RuleHit {
  flag: string;
  points: number;
}

/** The first two rules of the seed; issue 5 makes rules data and adds the rest. */
export function scoreTransaction(input: ScoringInput): { score: number; flags: string[] } {
  const hits: RuleHit[] = [];
  if (input.countLast10Minutes + 1 > 5) hits.push({ flag: 'HIGH_VELOCITY', points: 20 });
  if (input.amountMinor > input.highValueMinor) hits.push({ flag: 'HIGH_VALUE', points: 20 });
  const score = Math.min(100, hits.reduce((sum, h) => sum + h.points, 0));
  return { score, flags: hits.map((h) => h.flag) };
}

export function decide(score: number, reviewThreshold: number): 'approve' | 'review' {
  return score >= reviewThreshold ? 'review' : 'approve';
}
