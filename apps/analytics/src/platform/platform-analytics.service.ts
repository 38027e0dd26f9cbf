import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  Actor,
  ADMIN_READ_ROLES,
  ANALYTICS_GROUPS,
  AnalyticsGroupBy,
  CurrencyAmount,
  DomainError,
  EventEnvelope,
  PlatformAnalyticsQuery,
  PlatformAnalyticsView,
  requireRole,
  TransactionEventData,
} from '@tally/contracts';
import { formatAmount } from '@tally/money';
import { MoneyRow, PlatformRepository, Range } from './platform.repository';

const DAY_MS = 86_400_000;
/** A chart of more points than this is unreadable and its query needlessly wide. */
const MAX_PERIODS = 400;
const TOP = 10;

/** Platform analytics for admins and auditors, over analytics' own projection of every service's events. */
@Injectable()
export class PlatformAnalyticsService {
  constructor(private readonly platform: PlatformRepository) {}

  /** Any transaction event: the row takes the event's status unless it already holds a later one. */
  async onTransaction(event: EventEnvelope<TransactionEventData>, manager: EntityManager, status: string): Promise<void> {
    const t = event.data;
    // Imported history happened at occurredAt; live transactions when they were created.
    const occurredAt = t.occurredAt ?? t.createdAt;
    await this.platform.recordTransaction(manager, {
      transactionId: t.transactionId,
      userId: t.userId,
      type: t.type,
      status,
      amountMinor: BigInt(t.amountMinor),
      feeMinor: BigInt(t.feeMinor),
      currency: t.currency,
      category: t.merchantCategory ?? null,
      occurredAt,
      imported: t.imported === true,
    });
    await this.platform.recordActivity(manager, t.userId, occurredAt);
  }

  async onRegistered(manager: EntityManager, userId: string, at: string): Promise<void> {
    await this.platform.recordRegistration(manager, userId, at);
  }

  async onSignIn(manager: EntityManager, userId: string, at: string): Promise<void> {
    await this.platform.recordActivity(manager, userId, at);
  }

  async analytics(actor: Actor, query: PlatformAnalyticsQuery, now = new Date()): Promise<PlatformAnalyticsView> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const { range, groupBy } = analyticsRange(query ?? {}, now);
    const [statuses, byType, byCurrency, byCategory, perPeriodMoney, perPeriodCounts, registrations, active, periods, pending] = await Promise.all([
      this.platform.statusCounts(range),
      this.platform.completedMoney(range, 'type'),
      this.platform.completedMoney(range, 'currency'),
      this.platform.completedMoney(range, 'category'),
      this.platform.completedMoney(range, 'currency', groupBy),
      this.platform.transactionsPerPeriod(range, groupBy),
      this.platform.registrationsPerPeriod(range, groupBy),
      this.platform.activeUsers(range, groupBy),
      this.platform.periods(range, groupBy),
      this.platform.pendingNow(),
    ]);
    const status = (name: string) => statuses.find((s) => s.key === name)?.n ?? 0;
    const completed = status('completed');
    const reversed = status('reversed');
    const failed = status('voided') + status('failed');
    const settled = completed + reversed + failed;
    const amount = (r: MoneyRow, field: 'amount' | 'fees' = 'amount') => formatAmount(BigInt(r[field]), r.currency);
    const expense = (type: string): CurrencyAmount[] => byType.filter((r) => r.type === type).map((r) => ({ currency: r.currency, amount: amount(r) }));
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      groupBy,
      totals: {
        transactions: statuses.reduce((n, s) => n + s.n, 0),
        completed,
        pending: status('pending'),
        failed,
        reversed,
        successRate: settled === 0 ? null : Math.round(((completed + reversed) * 10000) / settled) / 100,
        activeUsers: active.total,
        registrations: registrations.reduce((n, r) => n + r.n, 0),
      },
      byType: byType.map((r) => ({ type: r.type as string, currency: r.currency, count: r.count, volume: amount(r) })),
      volume: byCurrency.map((r) => ({ currency: r.currency, amount: amount(r) })),
      feeRevenue: byCurrency.map((r) => ({ currency: r.currency, amount: amount(r, 'fees') })),
      cashbackExpense: expense('cashback'),
      referralExpense: expense('referral_reward'),
      topCurrencies: byCurrency.slice(0, TOP).map((r) => ({ currency: r.currency, count: r.count, volume: amount(r) })),
      topCategories: byCategory.slice(0, TOP).map((r) => ({ category: r.category as string, currency: r.currency, count: r.count, volume: amount(r) })),
      series: periods.map((period) => {
        const money = perPeriodMoney.filter((r) => r.period === period);
        const counts = perPeriodCounts.find((r) => r.period === period);
        return {
          period,
          transactions: counts?.transactions ?? 0,
          completed: counts?.completed ?? 0,
          registrations: registrations.find((r) => r.key === period)?.n ?? 0,
          activeUsers: active.perPeriod.find((r) => r.key === period)?.n ?? 0,
          volume: money.map((r) => ({ currency: r.currency, amount: amount(r) })),
          fees: money.map((r) => ({ currency: r.currency, amount: amount(r, 'fees') })),
        };
      }),
      pendingNow: pending.map((r) => ({ currency: r.currency, amount: formatAmount(BigInt(r.amount), r.currency) })),
    };
  }
}

/**
 * The query's range and grouping: `to` defaults to now, `from` to the start of the UTC day 29 days
 * (day), 12 weeks (week) or 12 months (month) earlier; at most MAX_PERIODS periods.
 */
export function analyticsRange(query: PlatformAnalyticsQuery, now: Date): { range: Range; groupBy: AnalyticsGroupBy } {
  const problems: Record<string, string> = {};
  const groupBy = (query.groupBy ?? 'day') as AnalyticsGroupBy;
  if (!(ANALYTICS_GROUPS as readonly string[]).includes(groupBy)) problems.groupBy = `must be one of ${ANALYTICS_GROUPS.join(', ')}`;
  const time = (name: 'from' | 'to'): Date | undefined => {
    const raw = query[name];
    if (raw === undefined || raw === '') return undefined;
    const date = new Date(String(raw));
    if (Number.isNaN(date.getTime())) problems[name] = 'must be an ISO 8601 date or time';
    return date;
  };
  const to = time('to') ?? now;
  const back = groupBy === 'month' ? 365 : groupBy === 'week' ? 83 : 29;
  const startOfToDay = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  const from = time('from') ?? new Date(startOfToDay - back * DAY_MS);
  if (!problems.from && !problems.to && from >= to) problems.to = 'must be after from';
  const spanDays = (to.getTime() - from.getTime()) / DAY_MS;
  const periodDays = groupBy === 'month' ? 28 : groupBy === 'week' ? 7 : 1;
  if (!problems.groupBy && spanDays / periodDays > MAX_PERIODS)
    problems.from = `the range holds more than ${MAX_PERIODS} ${groupBy}s; choose a larger groupBy or a shorter range`;
  for (const field of Object.keys(query)) if (!['from', 'to', 'groupBy'].includes(field)) problems[field] = 'is not a parameter of this report';
  if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The analytics query is invalid', problems);
  return { range: { from, to }, groupBy };
}
