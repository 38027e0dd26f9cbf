import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, CreateGoalPayload, DomainError, GoalView, isUuid, uuidv7 } from '@tally/contracts';
import { formatAmount, isSupportedCurrency, parseAmount } from '@tally/money';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { GoalRow, GoalsRepository } from './goals.repository';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Savings goals: a named target in one currency, backed by a ledger account of the user. */
@Injectable()
export class GoalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly goals: GoalsRepository,
    private readonly idempotency: IdempotencyRepository,
  ) {}

  async create(actor: Actor, input: CreateGoalPayload, idempotencyKey: string, today = new Date()): Promise<GoalView> {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length < 1 || name.length > 100) throw new DomainError('VALIDATION_FAILED', 'name must be 1 to 100 characters', { field: 'name' });
    if (!isSupportedCurrency(input.currency)) {
      throw new DomainError('VALIDATION_FAILED', 'currency must be a supported ISO 4217 code', { field: 'currency' });
    }
    const targetAmount = parseAmount(input.targetAmount, input.currency);
    const deadline = input.deadline ?? undefined;
    if (deadline !== undefined && !isFutureDate(deadline, today)) {
      throw new DomainError('VALIDATION_FAILED', 'deadline must be a date (YYYY-MM-DD), today or later', { field: 'deadline' });
    }
    const scope = `user:${actor.userId}`;
    const hash = requestHash('goal.create', { name, targetAmount: targetAmount.toString(), currency: input.currency, deadline: deadline ?? null });
    return runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'goal.create', hash);
      if (claim.replay) return claim.response as GoalView;
      const row = await this.goals.create(manager, { id: uuidv7(), userId: actor.userId, name, targetAmount, currency: input.currency, deadline });
      const view = toGoalView(row);
      await this.idempotency.complete(manager, scope, idempotencyKey, view);
      return view;
    });
  }

  async list(actor: Actor): Promise<{ items: GoalView[]; total: number }> {
    const rows = await this.goals.list(actor.userId);
    return { items: rows.map(toGoalView), total: rows.length };
  }

  async get(actor: Actor, goalId: string): Promise<GoalView> {
    return toGoalView(await this.owned(actor, goalId));
  }

  /** The caller's goal, or NOT_FOUND: another user's goal is indistinguishable from none. */
  async owned(actor: Actor, goalId: string): Promise<GoalRow> {
    const goal = isUuid(goalId) ? await this.goals.findOwned(actor.userId, goalId) : undefined;
    if (!goal) throw new DomainError('NOT_FOUND', 'Goal not found');
    return goal;
  }
}

function isFutureDate(text: unknown, today: Date): boolean {
  if (typeof text !== 'string' || !DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) return false;
  return text >= today.toISOString().slice(0, 10);
}

export function toGoalView(row: GoalRow): GoalView {
  const target = BigInt(row.target_amount);
  const saved = BigInt(row.saved);
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    targetAmount: formatAmount(target, row.currency),
    savedAmount: formatAmount(saved, row.currency),
    percent: Number((saved * 10000n) / target) / 100,
    deadline: row.deadline,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
