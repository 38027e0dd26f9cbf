import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '@tally/contracts';
import { returningRows } from '@tally/database';

export interface GoalRow {
  id: string;
  user_id: string;
  account_id: string;
  name: string;
  target_amount: string;
  currency: string;
  deadline: string | null;
  created_at: Date;
  /** From the goal account's balance row: posted credits minus posted debits. */
  saved: string;
}

const SELECT_GOAL = `
  SELECT g.id, g.user_id, g.account_id, g.name, g.target_amount::text, trim(g.currency) AS currency,
         to_char(g.deadline, 'YYYY-MM-DD') AS deadline, g.created_at,
         (b.posted_credits - b.posted_debits)::text AS saved
    FROM ledger.goals g JOIN ledger.balances b ON b.account_id = g.account_id`;

export const GOAL_MILESTONES = [25, 50, 75, 100];

/** The milestones a goal passes when what it holds goes from `before` to `after`. */
export function milestonesReached(target: bigint, before: bigint, after: bigint): number[] {
  return GOAL_MILESTONES.filter((m) => before * 100n < target * BigInt(m) && after * 100n >= target * BigInt(m));
}

@Injectable()
export class GoalsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The goal and its account (with its balance row), in the caller's transaction. */
  async create(
    manager: EntityManager,
    goal: { id: string; userId: string; name: string; targetAmount: bigint; currency: string; deadline?: string },
  ): Promise<GoalRow> {
    const accountId = uuidv7();
    await manager.query(
      `INSERT INTO ledger.accounts (id, code, type, currency, owner_id, debits_must_not_exceed_credits)
       VALUES ($1, $2, 'liability', $3, $4, true)`,
      [accountId, `goal:${goal.id}`, goal.currency, goal.userId],
    );
    await manager.query(`INSERT INTO ledger.balance_rows (account_id, currency, debits_must_not_exceed_credits) VALUES ($1, $2, true)`, [
      accountId,
      goal.currency,
    ]);
    await manager.query(`INSERT INTO ledger.goals (id, user_id, account_id, name, target_amount, currency, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      goal.id,
      goal.userId,
      accountId,
      goal.name,
      goal.targetAmount.toString(),
      goal.currency,
      goal.deadline ?? null,
    ]);
    return (await this.findOwned(goal.userId, goal.id, manager)) as GoalRow;
  }

  /** The owner filter is part of the signature: another user's goal is never read. A closed goal is gone for its owner too. */
  async findOwned(userId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<GoalRow | undefined> {
    const rows: GoalRow[] = await manager.query(`${SELECT_GOAL} WHERE g.id = $1 AND g.user_id = $2 AND g.closed_at IS NULL`, [id, userId]);
    return rows[0];
  }

  /**
   * The open goal, row locked FOR UPDATE: waits for every posting batch that holds it and makes
   * later ones wait, so the saved amount read is final until the caller commits.
   */
  async lockOwned(manager: EntityManager, userId: string, id: string): Promise<GoalRow | undefined> {
    const locked = await manager.query(`SELECT 1 FROM ledger.goals WHERE id = $1 AND user_id = $2 AND closed_at IS NULL FOR UPDATE`, [id, userId]);
    return locked.length > 0 ? this.findOwned(userId, id, manager) : undefined;
  }

  async update(manager: EntityManager, id: string, goal: { name: string; targetAmount: bigint; deadline: string | null }): Promise<void> {
    await manager.query(`UPDATE ledger.goals SET name = $2, target_amount = $3, deadline = $4 WHERE id = $1`, [
      id,
      goal.name,
      goal.targetAmount.toString(),
      goal.deadline,
    ]);
  }

  /** Closes the goal (the caller holds its lock and has seen it empty); its account and history stay. */
  async close(manager: EntityManager, id: string): Promise<Date> {
    const rows = returningRows<{ closed_at: Date }>(await manager.query(`UPDATE ledger.goals SET closed_at = now() WHERE id = $1 RETURNING closed_at`, [id]));
    return rows[0].closed_at;
  }

  /** Records a milestone as announced; false when it already was. */
  /** Serialises contributions to one goal, so each sees the saved amount before it exactly (credits lock no balance row). */
  async lock(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`SELECT 1 FROM ledger.goals WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  }

  async claimMilestone(manager: EntityManager, goalId: string, milestone: number, transactionId: string): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO ledger.goal_milestones (goal_id, milestone, transaction_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING milestone`,
      [goalId, milestone, transactionId],
    );
    return rows.length > 0;
  }

  async list(userId: string): Promise<GoalRow[]> {
    return this.dataSource.query(`${SELECT_GOAL} WHERE g.user_id = $1 AND g.closed_at IS NULL ORDER BY g.created_at, g.id`, [userId]);
  }
}
