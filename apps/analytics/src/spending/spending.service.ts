import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  Actor,
  DomainError,
  EventEnvelope,
  INCOME_EXPENSE_GROUPS,
  IncomeExpenseQuery,
  IncomeExpenseView,
  MonthlySummaryView,
  SpendingQuery,
  SpendingView,
  TransactionEventData,
} from '@tally/contracts';
import { formatAmount, isSupportedCurrency } from '@tally/money';
import { BudgetsService } from '../budgets/budgets.service';
import { SpendingRepository } from './spending.repository';

/** The longest span one income and expense report covers (a little over five years). */
const MAX_REPORT_DAYS = 1_900;

const GROUPS = ['category', 'day', 'week', 'month'] as const;

/** The category a movement counts under: the merchant's for purchases, else its type. */
function categoryOf(t: TransactionEventData): string {
  if (t.merchantCategory) return t.merchantCategory;
  return t.type === 'transfer_out' || t.type === 'transfer_in' ? 'transfer' : t.type;
}

@Injectable()
export class SpendingService {
  constructor(
    private readonly flows: SpendingRepository,
    private readonly budgets: BudgetsService,
  ) {}

  /** Projects a completed movement: a debit for the payer (amount + fee), a credit for a payee. */
  async onPosted(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    if (await this.flows.isReversed(manager, t.transactionId)) return;
    const amount = BigInt(t.amountMinor);
    // Imported history counts when it happened, not when it was booked.
    const occurredAt = t.occurredAt ?? t.createdAt;
    const common = { transactionId: t.transactionId, type: t.type, category: categoryOf(t), currency: t.currency, occurredAt };
    if (t.type === 'deposit' || t.type === 'refund' || t.type === 'cashback' || t.type === 'goal_withdrawal') {
      await this.flows.record(manager, { ...common, userId: t.userId, walletId: t.walletId, direction: 'credit', amountMinor: amount });
      return;
    }
    await this.flows.record(manager, {
      ...common,
      userId: t.userId,
      walletId: t.walletId,
      direction: 'debit',
      amountMinor: amount + BigInt(t.feeMinor),
    });
    await this.budgets.onDebit(manager, { userId: t.userId, category: common.category, currency: t.currency, occurredAt });
    if (t.type === 'transfer_out' && t.counterpartyUserId && t.counterpartyWalletId) {
      await this.flows.record(manager, {
        ...common,
        userId: t.counterpartyUserId,
        walletId: t.counterpartyWalletId,
        direction: 'credit',
        amountMinor: amount,
      });
    }
  }

  /** A reversed transaction no longer counts: its flows (both sides of a transfer) leave the projection. */
  async onReversed(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    await this.flows.markReversed(manager, event.data.transactionId);
  }

  /**
   * Completed credits and debits of the current UTC calendar month, one line per currency (amounts
   * in different currencies are never added up). Debits include fees, as in spending.
   */
  async monthlySummary(actor: Actor, now = new Date()): Promise<MonthlySummaryView> {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const rows = await this.flows.totalsByCurrency(actor.userId, start, end);
    return {
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
      items: rows.map((r) => {
        const credits = BigInt(r.credits);
        const debits = BigInt(r.debits);
        return {
          currency: r.currency,
          credits: formatAmount(credits, r.currency),
          debits: formatAmount(debits, r.currency),
          net: formatAmount(credits - debits, r.currency),
          transactionCount: Number(r.count),
        };
      }),
    };
  }

  async spending(actor: Actor, query: SpendingQuery): Promise<SpendingView> {
    const groupBy = query.groupBy ?? 'category';
    if (!GROUPS.includes(groupBy)) throw new DomainError('VALIDATION_FAILED', `groupBy must be one of ${GROUPS.join(', ')}`);
    const now = new Date();
    const { from, to, currency } = await this.scope(actor, query, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), now);
    const rows = await this.flows.spending(actor.userId, currency, groupBy, from, to);
    return {
      currency,
      groups: rows.map((r) => ({ key: r.key, total: formatAmount(BigInt(r.total), currency), count: Number(r.count) })),
    };
  }

  /**
   * Income against expense (the seeds' income vs expense report): completed credits and debits of
   * one currency per month, ISO week or category, with totals. Debits include fees; a reversed
   * transaction drops out; a move between the user's own wallets or goals counts on both sides.
   */
  async incomeExpense(actor: Actor, query: IncomeExpenseQuery, now = new Date()): Promise<IncomeExpenseView> {
    const groupBy = query.groupBy ?? 'month';
    if (!(INCOME_EXPENSE_GROUPS as readonly string[]).includes(groupBy)) {
      throw new DomainError('VALIDATION_FAILED', `groupBy must be one of ${INCOME_EXPENSE_GROUPS.join(', ')}`, { field: 'groupBy' });
    }
    const { from, to, currency } = await this.scope(actor, query, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)), now);
    if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
      throw new DomainError('VALIDATION_FAILED', `A report spans at most ${MAX_REPORT_DAYS} days`, { maxDays: MAX_REPORT_DAYS });
    }
    const rows = await this.flows.incomeExpense(actor.userId, currency, groupBy, from, to);
    const line = (credits: bigint, debits: bigint, count: number) => ({
      credits: formatAmount(credits, currency),
      debits: formatAmount(debits, currency),
      net: formatAmount(credits - debits, currency),
      transactionCount: count,
    });
    let credits = 0n;
    let debits = 0n;
    let count = 0;
    const groups = rows.map((r) => {
      credits += BigInt(r.credits);
      debits += BigInt(r.debits);
      count += Number(r.count);
      return { key: r.key, ...line(BigInt(r.credits), BigInt(r.debits), Number(r.count)) };
    });
    return { currency, groupBy, from: from.toISOString(), to: to.toISOString(), groups, totals: line(credits, debits, count) };
  }

  /** The range [from, to) (to defaults to now) and the currency (default: the one the user moves most) of a read, checked. */
  private async scope(
    actor: Actor,
    query: { from?: string; to?: string; currency?: string },
    defaultFrom: Date,
    now: Date,
  ): Promise<{ from: Date; to: Date; currency: string }> {
    if (query.currency !== undefined && !isSupportedCurrency(query.currency)) {
      throw new DomainError('VALIDATION_FAILED', 'currency must be a supported ISO 4217 code', { field: 'currency' });
    }
    const from = query.from ? new Date(query.from) : defaultFrom;
    const to = query.to ? new Date(query.to) : new Date(now.getTime() + 1000);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
      throw new DomainError('VALIDATION_FAILED', 'from and to must be ISO dates with from before to');
    }
    return { from, to, currency: query.currency ?? (await this.flows.mainCurrency(actor.userId)) ?? 'USD' };
  }
}
