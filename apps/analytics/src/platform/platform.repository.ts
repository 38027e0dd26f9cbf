import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AnalyticsGroupBy } from '@tally/contracts';

/** A status never goes back: an event that arrives late (another partition, a redelivery) cannot undo a later one. */
export const STATUS_RANK: Record<string, number> = { pending: 0, completed: 1, voided: 1, failed: 1, reversed: 2 };

export interface PlatformTransaction {
  transactionId: string;
  userId: string;
  type: string;
  status: string;
  amountMinor: bigint;
  feeMinor: bigint;
  currency: string;
  category: string | null;
  occurredAt: string;
  imported: boolean;
}

export interface Range {
  from: Date;
  to: Date;
}

const PERIOD_FORMAT: Record<AnalyticsGroupBy, string> = { day: 'YYYY-MM-DD', week: 'IYYY-"W"IW', month: 'YYYY-MM' };

/** `to_char(date_trunc(...))` of a timestamptz column in UTC: the key a row's period is grouped under. */
function periodKey(groupBy: AnalyticsGroupBy, column: string): string {
  return `to_char(date_trunc('${groupBy}', ${column} AT TIME ZONE 'UTC'), '${PERIOD_FORMAT[groupBy]}')`;
}

export interface CountRow {
  key: string;
  n: number;
}

export interface MoneyRow {
  period?: string;
  type?: string;
  category?: string;
  currency: string;
  count: number;
  amount: string;
  fees: string;
}

/** Analytics' platform-wide projection: transactions, registrations and daily activity. */
@Injectable()
export class PlatformRepository {
  constructor(private readonly dataSource: DataSource) {}

  async recordTransaction(manager: EntityManager, t: PlatformTransaction): Promise<void> {
    await manager.query(
      `INSERT INTO analytics.platform_transactions AS p
         (transaction_id, user_id, type, status, status_rank, amount_minor, fee_minor, currency, category, occurred_at, imported)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (transaction_id) DO UPDATE
          SET status = EXCLUDED.status, status_rank = EXCLUDED.status_rank, fee_minor = EXCLUDED.fee_minor, updated_at = now()
        WHERE p.status_rank < EXCLUDED.status_rank`,
      [
        t.transactionId,
        t.userId,
        t.type,
        t.status,
        STATUS_RANK[t.status] ?? 1,
        t.amountMinor.toString(),
        t.feeMinor.toString(),
        t.currency,
        t.category,
        t.occurredAt,
        t.imported,
      ],
    );
  }

  async recordRegistration(manager: EntityManager, userId: string, at: string): Promise<void> {
    await manager.query(`INSERT INTO analytics.registrations (user_id, registered_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [userId, at]);
  }

  async recordActivity(manager: EntityManager, userId: string, at: string): Promise<void> {
    await manager.query(`INSERT INTO analytics.user_activity (day, user_id) VALUES (($2::timestamptz AT TIME ZONE 'UTC')::date, $1) ON CONFLICT DO NOTHING`, [
      userId,
      at,
    ]);
  }

  /** Transactions in the range by status. */
  async statusCounts(range: Range): Promise<CountRow[]> {
    return this.dataSource.query(
      `SELECT status AS key, count(*)::int AS n FROM analytics.platform_transactions WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1`,
      [range.from, range.to],
    );
  }

  /** Completed movements in the range grouped by the given keys (and always the currency). */
  async completedMoney(range: Range, by: 'type' | 'currency' | 'category', groupBy?: AnalyticsGroupBy): Promise<MoneyRow[]> {
    const keys = by === 'currency' ? [] : [by];
    const period = groupBy ? [`${periodKey(groupBy, 'occurred_at')} AS period`] : [];
    const select = [...period, ...keys, `trim(currency) AS currency`].join(', ');
    const groups = [...(groupBy ? ['period'] : []), ...keys, 'currency'].join(', ');
    return this.dataSource.query(
      `SELECT ${select}, count(*)::int AS count, sum(amount_minor)::text AS amount, sum(fee_minor)::text AS fees
         FROM analytics.platform_transactions
        WHERE status = 'completed' AND occurred_at >= $1 AND occurred_at < $2 ${by === 'category' ? `AND type = 'purchase' AND category IS NOT NULL` : ''}
        GROUP BY ${groups} ORDER BY count(*) DESC, ${groups}`,
      [range.from, range.to],
    );
  }

  /** Transactions and completed ones per period. */
  async transactionsPerPeriod(range: Range, groupBy: AnalyticsGroupBy): Promise<{ period: string; transactions: number; completed: number }[]> {
    return this.dataSource.query(
      `SELECT ${periodKey(groupBy, 'occurred_at')} AS period, count(*)::int AS transactions,
              (count(*) FILTER (WHERE status IN ('completed', 'reversed')))::int AS completed
         FROM analytics.platform_transactions WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1`,
      [range.from, range.to],
    );
  }

  async registrationsPerPeriod(range: Range, groupBy: AnalyticsGroupBy): Promise<CountRow[]> {
    return this.dataSource.query(
      `SELECT ${periodKey(groupBy, 'registered_at')} AS key, count(*)::int AS n FROM analytics.registrations
        WHERE registered_at >= $1 AND registered_at < $2 GROUP BY 1`,
      [range.from, range.to],
    );
  }

  /** Distinct active users per period, and over the whole range (key null). Days are UTC dates. */
  async activeUsers(range: Range, groupBy: AnalyticsGroupBy): Promise<{ perPeriod: CountRow[]; total: number }> {
    const days = `day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND day <= (($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC')::date`;
    const [perPeriod, total]: [CountRow[], { n: number }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${periodKey(groupBy, `(day::timestamp AT TIME ZONE 'UTC')`)} AS key, count(DISTINCT user_id)::int AS n
           FROM analytics.user_activity WHERE ${days} GROUP BY 1`,
        [range.from, range.to],
      ),
      this.dataSource.query(`SELECT count(DISTINCT user_id)::int AS n FROM analytics.user_activity WHERE ${days}`, [range.from, range.to]),
    ]);
    return { perPeriod, total: total[0].n };
  }

  /** The period keys from `from` to `to`, in order, so empty periods show as zeros. */
  async periods(range: Range, groupBy: AnalyticsGroupBy): Promise<string[]> {
    const rows: { period: string }[] = await this.dataSource.query(
      `SELECT ${periodKey(groupBy, `(g AT TIME ZONE 'UTC')`)} AS period
         FROM generate_series(date_trunc('${groupBy}', $1::timestamptz AT TIME ZONE 'UTC'),
                              ($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC', interval '1 ${groupBy}') AS g
        ORDER BY g`,
      [range.from, range.to],
    );
    return rows.map((r) => r.period);
  }

  /** What is held right now (amount and fee), per currency. */
  async pendingNow(): Promise<{ currency: string; amount: string }[]> {
    return this.dataSource.query(
      `SELECT trim(currency) AS currency, sum(amount_minor + fee_minor)::text AS amount FROM analytics.platform_transactions
        WHERE status = 'pending' GROUP BY 1 ORDER BY 1`,
    );
  }
}
