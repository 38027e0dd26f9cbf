import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BudgetPeriod } from '@tally/contracts';
import { returningRows } from '@tally/database';

export interface BudgetRow {
  id: string;
  user_id: string;
  category: string;
  amount_minor: string;
  currency: string;
  period: BudgetPeriod;
  alert_at: number[];
  idempotency_key: string;
  request_hash: string;
  created_at: Date;
}

export interface NewBudget {
  id: string;
  userId: string;
  category: string;
  amountMinor: bigint;
  currency: string;
  period: BudgetPeriod;
  alertAt: number[];
  idempotencyKey: string;
  requestHash: string;
}

@Injectable()
export class BudgetsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the budget unless the user already used this Idempotency-Key; then answers the earlier row. */
  async insertOnce(budget: NewBudget): Promise<{ row: BudgetRow; created: boolean }> {
    const inserted: BudgetRow[] = await this.dataSource.query(
      `INSERT INTO analytics.budgets (id, user_id, category, amount_minor, currency, period, alert_at, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING *`,
      [
        budget.id,
        budget.userId,
        budget.category,
        budget.amountMinor.toString(),
        budget.currency,
        budget.period,
        budget.alertAt,
        budget.idempotencyKey,
        budget.requestHash,
      ],
    );
    if (inserted.length > 0) return { row: inserted[0], created: true };
    const rows: BudgetRow[] = await this.dataSource.query(`SELECT * FROM analytics.budgets WHERE user_id = $1 AND idempotency_key = $2`, [
      budget.userId,
      budget.idempotencyKey,
    ]);
    return { row: rows[0], created: false };
  }

  /** The owner filter is part of the signature: another user's budget is never read. */
  async findOwned(userId: string, id: string): Promise<BudgetRow | undefined> {
    const rows: BudgetRow[] = await this.dataSource.query(`SELECT * FROM analytics.budgets WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL`, [
      id,
      userId,
    ]);
    return rows[0];
  }

  async list(userId: string, limit: number, offset: number): Promise<{ rows: BudgetRow[]; total: number }> {
    const rows: BudgetRow[] = await this.dataSource.query(
      `SELECT * FROM analytics.budgets WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM analytics.budgets WHERE user_id = $1 AND deleted_at IS NULL`, [userId]);
    return { rows, total };
  }

  /** Budgets a debit in this category and currency counts toward. */
  async matching(manager: EntityManager, userId: string, category: string, currency: string): Promise<BudgetRow[]> {
    return manager.query(`SELECT * FROM analytics.budgets WHERE user_id = $1 AND category = $2 AND currency = $3 AND deleted_at IS NULL`, [
      userId,
      category,
      currency,
    ]);
  }

  /** The user's completed debits in a category and currency over [start, end), reversed ones already gone. */
  async spent(
    budget: Pick<BudgetRow, 'user_id' | 'category' | 'currency'>,
    start: Date,
    end: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<bigint> {
    const rows: { spent: string }[] = await manager.query(
      `SELECT coalesce(sum(amount_minor), 0)::text AS spent FROM analytics.money_flows
        WHERE user_id = $1 AND category = $2 AND currency = $3 AND direction = 'debit' AND occurred_at >= $4 AND occurred_at < $5`,
      [budget.user_id, budget.category, budget.currency, start, end],
    );
    return BigInt(rows[0].spent);
  }

  /**
   * New settings for the owner's budget; false when it is gone. A change of amount, category or
   * period re-arms its alerts: the thresholds count against the budget as it now is.
   */
  async update(
    userId: string,
    id: string,
    settings: { category: string; amountMinor: bigint; period: string; alertAt: number[] },
    rearm: boolean,
  ): Promise<BudgetRow | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const rows = returningRows<BudgetRow>(
        await manager.query(
          `UPDATE analytics.budgets SET category = $3, amount_minor = $4, period = $5, alert_at = $6, updated_at = now()
          WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL RETURNING *`,
          [id, userId, settings.category, settings.amountMinor.toString(), settings.period, settings.alertAt],
        ),
      );
      if (rows[0] && rearm) await manager.query(`DELETE FROM analytics.budget_alerts WHERE budget_id = $1`, [id]);
      return rows[0];
    });
  }

  /** Deletes the owner's budget (it stops counting and alerting); false when it was already gone. */
  async softDelete(userId: string, id: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `UPDATE analytics.budgets SET deleted_at = now() WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL RETURNING id`,
      [id, userId],
    );
    return returningRows(rows).length > 0;
  }

  /** Records that a threshold was announced for a period; false when it already was (so no second event). */
  async claimAlert(manager: EntityManager, budgetId: string, periodStart: Date, threshold: number, spent: bigint): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO analytics.budget_alerts (budget_id, period_start, threshold, spent_minor) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING threshold`,
      [budgetId, periodStart, threshold, spent.toString()],
    );
    return rows.length > 0;
  }
}
