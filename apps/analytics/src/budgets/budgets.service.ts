import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  Actor,
  ListQuery,
  BUDGET_PERIODS,
  BudgetPeriod,
  BudgetProgressView,
  BudgetThresholdV1,
  BudgetView,
  CreateBudgetPayload,
  UpdateBudgetPayload,
  DomainError,
  isUuid,
  uuidv7,
} from '@tally/contracts';
import { enqueueEvent } from '@tally/messaging';
import { formatAmount, isSupportedCurrency, parseAmount } from '@tally/money';
import { budgetPeriod, percentOf, reachedThresholds } from './budget-period';
import { BudgetRow, BudgetsRepository } from './budgets.repository';

/** The same form as a purchase's merchantCategory, or a movement type (withdrawal, transfer, ...): what spending groups by. */
const CATEGORY = /^[a-z0-9_]{2,50}$/;
const DEFAULT_ALERT_AT = [50, 80, 100];

export interface BudgetDebit {
  userId: string;
  category: string;
  currency: string;
  occurredAt: string;
}

@Injectable()
export class BudgetsService {
  constructor(private readonly budgets: BudgetsRepository) {}

  async create(actor: Actor, input: CreateBudgetPayload, idempotencyKey: string): Promise<BudgetView> {
    const category = budgetCategory(input.category);
    if (!isSupportedCurrency(input.currency)) {
      throw new DomainError('VALIDATION_FAILED', 'currency must be a supported ISO 4217 code', { field: 'currency' });
    }
    checkPeriod(input.period);
    const amountMinor = parseAmount(input.amount, input.currency);
    const alertAt = input.alertAt ?? DEFAULT_ALERT_AT;
    checkAlertAt(alertAt);
    const normalized = { category, amount: amountMinor.toString(), currency: input.currency, period: input.period, alertAt };
    const requestHash = createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
    const { row, created } = await this.budgets.insertOnce({
      id: uuidv7(),
      userId: actor.userId,
      category,
      amountMinor,
      currency: input.currency,
      period: input.period as BudgetPeriod,
      alertAt,
      idempotencyKey,
      requestHash,
    });
    if (!created && row.request_hash !== requestHash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
    }
    return toBudgetView(row);
  }

  async list(actor: Actor, query: ListQuery): Promise<{ items: BudgetView[]; total: number; limit: number; offset: number }> {
    const limit = pageParam(query.limit, 50, 1, 100, 'limit');
    const offset = pageParam(query.offset, 0, 0, Number.MAX_SAFE_INTEGER, 'offset');
    const { rows, total } = await this.budgets.list(actor.userId, limit, offset);
    return { items: rows.map(toBudgetView), total, limit, offset };
  }

  /** PATCH /v1/budgets/{id}. A new amount, category or period re-arms the alerts against the budget as it now is. */
  async update(actor: Actor, input: UpdateBudgetPayload): Promise<BudgetView> {
    const budget = await this.owned(actor, input.budgetId);
    const category = input.category === undefined ? budget.category : budgetCategory(input.category);
    if (input.period !== undefined) checkPeriod(input.period);
    const period = input.period ?? budget.period;
    const amountMinor = input.amount === undefined ? BigInt(budget.amount_minor) : parseAmount(input.amount, budget.currency);
    const alertAt = input.alertAt ?? budget.alert_at;
    checkAlertAt(alertAt);
    const rearm = category !== budget.category || period !== budget.period || amountMinor !== BigInt(budget.amount_minor) || input.alertAt !== undefined;
    const updated = await this.budgets.update(actor.userId, budget.id, { category, amountMinor, period, alertAt }, rearm);
    if (!updated) throw new DomainError('NOT_FOUND', 'Budget not found');
    return toBudgetView(updated);
  }

  async delete(actor: Actor, budgetId: string): Promise<void> {
    const budget = await this.owned(actor, budgetId);
    if (!(await this.budgets.softDelete(actor.userId, budget.id))) throw new DomainError('NOT_FOUND', 'Budget not found');
  }

  async get(actor: Actor, budgetId: string): Promise<BudgetView> {
    return toBudgetView(await this.owned(actor, budgetId));
  }

  /** Spending of the current period (UTC calendar month, quarter or year) against the budget. */
  async progress(actor: Actor, budgetId: string, now = new Date()): Promise<BudgetProgressView> {
    const budget = await this.owned(actor, budgetId);
    const { start, end } = budgetPeriod(budget.period, now);
    const amount = BigInt(budget.amount_minor);
    const spent = await this.budgets.spent(budget, start, end);
    const remaining = amount > spent ? amount - spent : 0n;
    return {
      budgetId: budget.id,
      category: budget.category,
      currency: budget.currency,
      amount: formatAmount(amount, budget.currency),
      spent: formatAmount(spent, budget.currency),
      remaining: formatAmount(remaining, budget.currency),
      percent: percentOf(spent, amount),
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
    };
  }

  /**
   * After a debit was projected (in the consumer's transaction): every budget it counts toward whose
   * spending in the debit's period now reaches a threshold not yet announced for that period gets
   * one budget.threshold event, through the outbox, in the same transaction.
   */
  async onDebit(manager: EntityManager, debit: BudgetDebit): Promise<void> {
    const budgets = await this.budgets.matching(manager, debit.userId, debit.category, debit.currency);
    for (const budget of budgets) {
      const { start, end } = budgetPeriod(budget.period, new Date(debit.occurredAt));
      const amount = BigInt(budget.amount_minor);
      const spent = await this.budgets.spent(budget, start, end, manager);
      for (const threshold of reachedThresholds(budget.alert_at, spent, amount)) {
        if (!(await this.budgets.claimAlert(manager, budget.id, start, threshold, spent))) continue;
        await enqueueEvent(manager, 'analytics', BudgetThresholdV1, {
          source: 'analytics',
          subject: budget.id,
          key: budget.user_id,
          data: {
            budgetId: budget.id,
            userId: budget.user_id,
            category: budget.category,
            currency: budget.currency.trim(),
            threshold,
            amountMinor: amount.toString(),
            spentMinor: spent.toString(),
            periodStart: start.toISOString(),
            periodEnd: end.toISOString(),
          },
        });
      }
    }
  }

  private async owned(actor: Actor, budgetId: string): Promise<BudgetRow> {
    const budget = isUuid(budgetId) ? await this.budgets.findOwned(actor.userId, budgetId) : undefined;
    if (!budget) throw new DomainError('NOT_FOUND', 'Budget not found');
    return budget;
  }
}

/** alertAt: 1 to 10 whole percents from 1 to 100, strictly ascending (so sorted and unique). */
function budgetCategory(value: unknown): string {
  const category = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!CATEGORY.test(category)) {
    throw new DomainError('VALIDATION_FAILED', 'category must be 2 to 50 letters, digits or underscores, e.g. food_beverage', { field: 'category' });
  }
  return category;
}

function checkPeriod(period: unknown): asserts period is BudgetPeriod {
  if (!(BUDGET_PERIODS as readonly string[]).includes(period as string)) {
    throw new DomainError('VALIDATION_FAILED', `period must be one of ${BUDGET_PERIODS.join(', ')}`, { field: 'period' });
  }
}

function checkAlertAt(alertAt: unknown): asserts alertAt is number[] {
  const ok =
    Array.isArray(alertAt) &&
    alertAt.length >= 1 &&
    alertAt.length <= 10 &&
    alertAt.every((t, i) => Number.isInteger(t) && t >= 1 && t <= 100 && (i === 0 || t > alertAt[i - 1]));
  if (!ok) {
    throw new DomainError('VALIDATION_FAILED', 'alertAt must be 1 to 10 whole percents from 1 to 100, sorted ascending without repeats', { field: 'alertAt' });
  }
}

function pageParam(value: string | number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n < min || n > max) throw new DomainError('VALIDATION_FAILED', `${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function toBudgetView(row: BudgetRow): BudgetView {
  const currency = row.currency.trim();
  return {
    id: row.id,
    category: row.category,
    amount: formatAmount(BigInt(row.amount_minor), currency),
    currency,
    period: row.period,
    alertAt: row.alert_at,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
