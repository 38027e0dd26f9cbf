import { TrialBalanceLine } from '@tally/contracts';
import { formatAmount } from '@tally/money';

/** Sums over every balance row of one currency, in minor units as Postgres returns them (text). */
export interface CurrencyTotalsRow {
  currency: string;
  posted_debits: string;
  posted_credits: string;
  pending_debits: string;
  pending_credits: string;
  accounts: number;
}

/**
 * One trial-balance line per currency. Balanced means the books hold in that currency: posted
 * debits equal posted credits, and so do the amounts pending entries hold (each pending entry
 * balances too, so a difference in either means a balance row has drifted from its postings).
 */
export function trialBalanceLine(row: CurrencyTotalsRow): TrialBalanceLine {
  const postedDebits = BigInt(row.posted_debits);
  const postedCredits = BigInt(row.posted_credits);
  const pendingDebits = BigInt(row.pending_debits);
  const pendingCredits = BigInt(row.pending_credits);
  const currency = row.currency.trim();
  return {
    currency,
    totalDebits: formatAmount(postedDebits, currency),
    totalCredits: formatAmount(postedCredits, currency),
    pendingDebits: formatAmount(pendingDebits, currency),
    pendingCredits: formatAmount(pendingCredits, currency),
    balanced: postedDebits === postedCredits && pendingDebits === pendingCredits,
    accounts: Number(row.accounts),
  };
}
