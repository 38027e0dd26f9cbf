import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { IncomeExpenseGroupBy, SpendingGroupBy } from '@tally/contracts';

export interface MoneyFlow {
  transactionId: string;
  userId: string;
  walletId: string;
  direction: 'debit' | 'credit';
  type: string;
  category: string;
  amountMinor: bigint;
  currency: string;
  occurredAt: string;
}

const GROUP_KEY: Record<SpendingGroupBy | IncomeExpenseGroupBy, string> = {
  category: 'category',
  day: `to_char(date_trunc('day', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
  week: `to_char(date_trunc('week', occurred_at AT TIME ZONE 'UTC'), 'IYYY-"W"IW')`,
  month: `to_char(date_trunc('month', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM')`,
};

@Injectable()
export class SpendingRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, flow: MoneyFlow): Promise<void> {
    await manager.query(
      `INSERT INTO analytics.money_flows (transaction_id, user_id, wallet_id, direction, type, category, amount_minor, currency, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [flow.transactionId, flow.userId, flow.walletId, flow.direction, flow.type, flow.category, flow.amountMinor.toString(), flow.currency, flow.occurredAt],
    );
  }

  async isReversed(manager: EntityManager, transactionId: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM analytics.reversed_transactions WHERE transaction_id = $1`, [transactionId]);
    return rows.length > 0;
  }

  async markReversed(manager: EntityManager, transactionId: string): Promise<void> {
    await manager.query(`INSERT INTO analytics.reversed_transactions (transaction_id) VALUES ($1) ON CONFLICT DO NOTHING`, [transactionId]);
    await manager.query(`DELETE FROM analytics.money_flows WHERE transaction_id = $1`, [transactionId]);
  }

  async spending(userId: string, currency: string, groupBy: SpendingGroupBy, from: Date, to: Date): Promise<{ key: string; total: string; count: string }[]> {
    return this.dataSource.query(
      `SELECT ${GROUP_KEY[groupBy]} AS key, sum(amount_minor)::text AS total, count(*)::text AS count
         FROM analytics.money_flows
        WHERE user_id = $1 AND currency = $2 AND direction = 'debit' AND occurred_at >= $3 AND occurred_at < $4
        GROUP BY 1 ORDER BY 1`,
      [userId, currency, from, to],
    );
  }

  /** A user's completed credits, debits and transactions per currency over [from, to). */
  async totalsByCurrency(userId: string, from: Date, to: Date): Promise<{ currency: string; credits: string; debits: string; count: string }[]> {
    return this.dataSource.query(
      `SELECT trim(currency) AS currency,
              coalesce(sum(amount_minor) FILTER (WHERE direction = 'credit'), 0)::text AS credits,
              coalesce(sum(amount_minor) FILTER (WHERE direction = 'debit'), 0)::text AS debits,
              count(DISTINCT transaction_id)::text AS count
         FROM analytics.money_flows
        WHERE user_id = $1 AND occurred_at >= $2 AND occurred_at < $3
        GROUP BY 1 ORDER BY 1`,
      [userId, from, to],
    );
  }

  /** Completed credits and debits (fees included) of one currency over [from, to), per group; a category groups by its flows' category. */
  async incomeExpense(
    userId: string,
    currency: string,
    groupBy: IncomeExpenseGroupBy,
    from: Date,
    to: Date,
  ): Promise<{ key: string; credits: string; debits: string; count: string }[]> {
    return this.dataSource.query(
      `SELECT ${GROUP_KEY[groupBy]} AS key,
              coalesce(sum(amount_minor) FILTER (WHERE direction = 'credit'), 0)::text AS credits,
              coalesce(sum(amount_minor) FILTER (WHERE direction = 'debit'), 0)::text AS debits,
              count(DISTINCT transaction_id)::text AS count
         FROM analytics.money_flows
        WHERE user_id = $1 AND currency = $2 AND occurred_at >= $3 AND occurred_at < $4
        GROUP BY 1 ORDER BY 1`,
      [userId, currency, from, to],
    );
  }

  /** The currency the user spends most in, for a query that names none. */
  async mainCurrency(userId: string): Promise<string | undefined> {
    const rows: { currency: string }[] = await this.dataSource.query(
      `SELECT currency FROM analytics.money_flows WHERE user_id = $1 GROUP BY currency ORDER BY count(*) DESC LIMIT 1`,
      [userId],
    );
    return rows[0]?.currency;
  }
}
