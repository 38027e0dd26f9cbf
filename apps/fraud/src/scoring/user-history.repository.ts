import { EntityManager } from 'typeorm';
import { UserHistory } from '../rules/fraud-rule';

const DAY_MS = 24 * 60 * 60_000;

/** One user's debits in fraud.user_activity (projected from ledger.events), the scored one left out. */
export class ProjectedUserHistory implements UserHistory {
  constructor(
    private readonly manager: EntityManager,
    private readonly userId: string,
    private readonly excludeTransactionId: string,
  ) {}

  async count(since: Date, until: Date): Promise<number> {
    const [row] = await this.manager.query(
      `SELECT count(*)::int AS n FROM fraud.user_activity
        WHERE user_id = $1 AND occurred_at >= $2 AND occurred_at <= $3 AND transaction_id <> $4`,
      [this.userId, since, until, this.excludeTransactionId],
    );
    return row.n;
  }

  async amounts(currency: string, since: Date, until: Date): Promise<{ count: number; sumMinor: bigint }> {
    const [row] = await this.manager.query(
      `SELECT count(*)::int AS n, coalesce(sum(amount_minor), 0)::text AS sum FROM fraud.user_activity
        WHERE user_id = $1 AND currency = $2 AND occurred_at >= $3 AND occurred_at <= $4 AND status <> 'voided' AND transaction_id <> $5`,
      [this.userId, currency, since, until, this.excludeTransactionId],
    );
    return { count: row.n, sumMinor: BigInt(row.sum) };
  }

  async countSame(amountMinor: bigint, currency: string, payee: string | null, since: Date, until: Date): Promise<number> {
    const [row] = await this.manager.query(
      `SELECT count(*)::int AS n FROM fraud.user_activity
        WHERE user_id = $1 AND amount_minor = $2 AND currency = $3 AND payee IS NOT DISTINCT FROM $4
          AND occurred_at >= $5 AND occurred_at <= $6 AND transaction_id <> $7`,
      [this.userId, amountMinor.toString(), currency, payee, since, until, this.excludeTransactionId],
    );
    return row.n;
  }

  /** What a reviewer sees about the user at the time of the transaction (only built for held ones). */
  async summary(at: Date, currency: string): Promise<Record<string, unknown>> {
    const [counts] = await this.manager.query(
      `SELECT count(*) FILTER (WHERE occurred_at >= $2::timestamptz - interval '10 minutes')::int AS "last10Minutes",
              count(*) FILTER (WHERE occurred_at >= $2::timestamptz - interval '1 hour')::int AS "lastHour",
              count(*) FILTER (WHERE occurred_at >= $2::timestamptz - interval '24 hours')::int AS "last24Hours",
              count(*)::int AS "last30Days",
              count(*) FILTER (WHERE status = 'voided')::int AS "voided30Days"
         FROM fraud.user_activity
        WHERE user_id = $1 AND occurred_at >= $2::timestamptz - interval '30 days' AND occurred_at <= $2 AND transaction_id <> $3`,
      [this.userId, at, this.excludeTransactionId],
    );
    const { count, sumMinor } = await this.amounts(currency, new Date(at.getTime() - 30 * DAY_MS), at);
    const last: { transactionId: string; type: string; amountMinor: string; currency: string; payee: string | null; status: string; at: Date }[] =
      await this.manager.query(
        `SELECT transaction_id AS "transactionId", type, amount_minor::text AS "amountMinor", trim(currency) AS currency, payee, status, occurred_at AS at
           FROM fraud.user_activity WHERE user_id = $1 AND occurred_at <= $2 AND transaction_id <> $3
          ORDER BY occurred_at DESC LIMIT 5`,
        [this.userId, at, this.excludeTransactionId],
      );
    return {
      debits: counts,
      average30DaysMinor: count === 0 ? null : (sumMinor / BigInt(count)).toString(),
      averageCurrency: currency,
      lastTransactions: last.map((t) => ({ ...t, at: new Date(t.at).toISOString() })),
    };
  }
}
