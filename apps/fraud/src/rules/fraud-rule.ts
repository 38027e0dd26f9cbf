/**
 * A fraud rule: one class per rule, registered in rule-registry.ts. Its weight, parameters and
 * on/off switch are data (fraud.rules, editable by admins); the class holds only the logic and the
 * defaults the row is first created with. The engine knows nothing about any particular rule.
 */

/** The debit being scored, as the ledger announced it while holding the funds. */
export interface ScoredTransaction {
  transactionId: string;
  userId: string;
  type: string;
  amountMinor: bigint;
  currency: string;
  /** The debit (fee included) in the ledger's base currency; null when the ledger has no rate. */
  baseAmountMinor: bigint | null;
  baseCurrency: string | null;
  /** Merchant for a purchase, the receiving wallet number for a transfer, null for a withdrawal. */
  payee: string | null;
  /** The wallet's IANA time zone. */
  timeZone: string;
  /** When the ledger held it: the clock every rule measures from (scoring late changes nothing). */
  at: Date;
}

/**
 * The user's earlier debits from fraud's own projection of ledger.events (never the ledger's
 * tables). Windows are [since, until]; the transaction being scored is never counted.
 */
export interface UserHistory {
  count(since: Date, until: Date): Promise<number>;
  /** Debits in one currency that were not voided: how many and their sum. */
  amounts(currency: string, since: Date, until: Date): Promise<{ count: number; sumMinor: bigint }>;
  /** Debits of the same amount, currency and payee. */
  countSame(amountMinor: bigint, currency: string, payee: string | null, since: Date, until: Date): Promise<number>;
}

export type RuleParameters = Record<string, unknown>;

export interface RuleOutcome {
  hit: boolean;
  /** The facts the rule looked at, kept with the score for reviewers. */
  evidence: Record<string, unknown>;
}

export interface FraudRule {
  /** Stable key of the rule's row in fraud.rules. */
  readonly code: string;
  /** The flag a hit adds to the transaction (api-v1 fraudFlags). */
  readonly flag: string;
  readonly description: string;
  /** Points a hit adds when the row is first created (0: flag only). */
  readonly defaultWeight: number;
  readonly defaultParameters: RuleParameters;
  /** What is wrong with parameters an admin wants to store; empty when they are valid. */
  parameterProblems(parameters: RuleParameters): string[];
  evaluate(tx: ScoredTransaction, history: UserHistory, parameters: RuleParameters): Promise<RuleOutcome>;
}

export const MINUTE_MS = 60_000;

/** Problems when `name` is not an integer within [min, max]. */
export function intProblems(parameters: RuleParameters, name: string, min: number, max: number): string[] {
  const value = parameters[name];
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? [] : [`${name} must be an integer from ${min} to ${max}`];
}

/** Problems when `name` is not a positive decimal string (money or a multiplier; never a JS float). */
export function decimalProblems(parameters: RuleParameters, name: string): string[] {
  const value = parameters[name];
  return typeof value === 'string' && /^\d{1,12}(\.\d{1,6})?$/.test(value) && !/^0+(\.0+)?$/.test(value)
    ? []
    : [`${name} must be a positive decimal string, e.g. "3"`];
}

/** Problems with keys the rule does not know. */
export function unknownKeyProblems(parameters: RuleParameters, known: RuleParameters): string[] {
  return Object.keys(parameters)
    .filter((k) => !(k in known))
    .map((k) => `${k} is not a parameter of this rule`);
}
