import { BalanceDifference, BalanceField } from '@tally/contracts';
import { formatAmount } from '@tally/money';

/** Anything that runs SQL (a DataSource or an EntityManager). */
export interface SqlRunner {
  // TypeORM's own query() answers any[]; callers name the row type they select.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any[]>;
}

export type BalanceTotals = Record<BalanceField, bigint>;

const FIELDS: BalanceField[] = ['postedDebits', 'postedCredits', 'pendingDebits', 'pendingCredits'];

/** Where a balance row disagrees with what its postings add up to; empty when it agrees. */
export function balanceDifferences(accountId: string, currency: string, expected: BalanceTotals, actual: BalanceTotals): BalanceDifference[] {
  return FIELDS.filter((field) => expected[field] !== actual[field]).map((field) => ({
    accountId,
    currency,
    field,
    expected: formatAmount(expected[field], currency),
    actual: formatAmount(actual[field], currency),
  }));
}

export interface VerifiedChunk {
  accounts: number;
  lastAccountId: string | null;
  differences: BalanceDifference[];
}

interface ChunkRow {
  account_id: string;
  currency: string;
  posted_debits: string;
  posted_credits: string;
  pending_debits: string;
  pending_credits: string;
  expected_posted_debits: string;
  expected_posted_credits: string;
  expected_pending_debits: string;
  expected_pending_credits: string;
}

/**
 * Checks the next `limit` balance rows (by account id, after `afterAccountId`) against their
 * postings, folded the way the posting trigger applies them: `posted` adds to posted; `pending`
 * adds to pending; `post_pending` moves pending to posted; `void_pending` takes it off pending.
 * One statement, so each row and its postings are read in the same snapshot (no false alarm from
 * a concurrent write); the postings are reached through (account_id, created_at), so the work is
 * proportional to the chunk's postings and a whole run to the journal, never held in memory.
 */
export async function verifyBalancesChunk(db: SqlRunner, afterAccountId: string | null, limit: number): Promise<VerifiedChunk> {
  const rows: ChunkRow[] = await db.query(
    `WITH chunk AS (
       SELECT account_id, currency, posted_debits, posted_credits, pending_debits, pending_credits
         FROM ledger.balances
        WHERE account_id > coalesce($1::uuid, '00000000-0000-0000-0000-000000000000')
        ORDER BY account_id
        LIMIT $2),
     folded AS (
       SELECT p.account_id,
              coalesce(sum(p.amount) FILTER (WHERE p.direction = 'D' AND p.phase IN ('posted', 'post_pending')), 0) AS posted_debits,
              coalesce(sum(p.amount) FILTER (WHERE p.direction = 'C' AND p.phase IN ('posted', 'post_pending')), 0) AS posted_credits,
              coalesce(sum(CASE WHEN p.phase = 'pending' THEN p.amount ELSE -p.amount END)
                         FILTER (WHERE p.direction = 'D' AND p.phase <> 'posted'), 0) AS pending_debits,
              coalesce(sum(CASE WHEN p.phase = 'pending' THEN p.amount ELSE -p.amount END)
                         FILTER (WHERE p.direction = 'C' AND p.phase <> 'posted'), 0) AS pending_credits
         FROM ledger.postings p
         JOIN chunk c ON c.account_id = p.account_id
        GROUP BY p.account_id)
     SELECT c.account_id, c.currency,
            c.posted_debits::text, c.posted_credits::text, c.pending_debits::text, c.pending_credits::text,
            coalesce(f.posted_debits, 0)::text AS expected_posted_debits,
            coalesce(f.posted_credits, 0)::text AS expected_posted_credits,
            coalesce(f.pending_debits, 0)::text AS expected_pending_debits,
            coalesce(f.pending_credits, 0)::text AS expected_pending_credits
       FROM chunk c LEFT JOIN folded f ON f.account_id = c.account_id
      ORDER BY c.account_id`,
    [afterAccountId, limit],
  );
  const differences = rows.flatMap((r) =>
    balanceDifferences(
      r.account_id,
      r.currency.trim(),
      {
        postedDebits: BigInt(r.expected_posted_debits),
        postedCredits: BigInt(r.expected_posted_credits),
        pendingDebits: BigInt(r.expected_pending_debits),
        pendingCredits: BigInt(r.expected_pending_credits),
      },
      {
        postedDebits: BigInt(r.posted_debits),
        postedCredits: BigInt(r.posted_credits),
        pendingDebits: BigInt(r.pending_debits),
        pendingCredits: BigInt(r.pending_credits),
      },
    ),
  );
  return { accounts: rows.length, lastAccountId: rows.at(-1)?.account_id ?? null, differences };
}

export interface VerificationReport {
  checkedAccounts: number;
  differences: BalanceDifference[];
  differenceCount: number;
  ok: boolean;
}

/** Every balance row, chunk by chunk (the CLI's path; the admin route runs the same chunks as a resumable run). */
export async function verifyAllBalances(db: SqlRunner, options: { chunkSize?: number; keep?: number } = {}): Promise<VerificationReport> {
  const chunkSize = options.chunkSize ?? 2000;
  const keep = options.keep ?? MAX_KEPT_DIFFERENCES;
  const report: VerificationReport = { checkedAccounts: 0, differences: [], differenceCount: 0, ok: true };
  let after: string | null = null;
  for (;;) {
    const chunk = await verifyBalancesChunk(db, after, chunkSize);
    report.checkedAccounts += chunk.accounts;
    report.differenceCount += chunk.differences.length;
    report.differences.push(...chunk.differences.slice(0, Math.max(0, keep - report.differences.length)));
    if (chunk.accounts < chunkSize) break;
    after = chunk.lastAccountId;
  }
  report.ok = report.differenceCount === 0;
  return report;
}

/** A report lists at most this many differences (and counts them all). */
export const MAX_KEPT_DIFFERENCES = 1000;
