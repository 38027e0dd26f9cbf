import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, CreateGoalPayload, DomainError, GoalView, isUuid, UpdateGoalPayload, uuidv7 } from '@tally/contracts';
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
    const name = goalName(input.name);
    if (!isSupportedCurrency(input.currency)) {
      throw new DomainError('VALIDATION_FAILED', 'currency must be a supported ISO 4217 code', { field: 'currency' });
    }
    const targetAmount = parseAmount(input.targetAmount, input.currency);
    const deadline = input.deadline ?? undefined;
    if (deadline !== undefined) checkDeadline(deadline, today);
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

  /** PATCH /v1/goals/{id}: name, target or deadline (null removes it), under the goal's lock; milestones already announced stay announced. */
  async update(actor: Actor, input: UpdateGoalPayload, today = new Date()): Promise<GoalView> {
    const goal = await this.owned(actor, input.goalId);
    const name = input.name === undefined ? goal.name : goalName(input.name);
    const targetAmount = input.targetAmount === undefined ? BigInt(goal.target_amount) : parseAmount(input.targetAmount, goal.currency);
    if (input.deadline !== undefined && input.deadline !== null) checkDeadline(input.deadline, today);
    const deadline = input.deadline === undefined ? goal.deadline : input.deadline;
    return runLedgerTransaction(this.dataSource, async (manager) => {
      if (!(await this.goals.lockOwned(manager, actor.userId, goal.id))) throw new DomainError('NOT_FOUND', 'Goal not found');
      await this.goals.update(manager, goal.id, { name, targetAmount, deadline });
      return toGoalView((await this.goals.findOwned(actor.userId, goal.id, manager)) as GoalRow);
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

function goalName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name.length < 1 || name.length > 100) throw new DomainError('VALIDATION_FAILED', 'name must be 1 to 100 characters', { field: 'name' });
  return name;
}

function checkDeadline(deadline: unknown, today: Date): void {
  if (!isFutureDate(deadline, today)) {
    throw new DomainError('VALIDATION_FAILED', 'deadline must be a date (YYYY-MM-DD), today or later', { field: 'deadline' });
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
