import { Topics } from '../topics';
import type { Shape } from '../schema';
import { CommandContract, defineCommand, ListQuery, NoPayload } from './command-contract';
import type { AuditLogEntryView, AuditLogQuery, PlatformAnalyticsQuery, PlatformAnalyticsView } from './admin-views';
import type { Page } from './notification-commands';

const analytics = <TPayload, TReply = unknown>(type: string, shape: Shape): CommandContract<TPayload, TReply> =>
  defineCommand<TPayload, TReply>({ topic: Topics.analyticsCommands, type, shape });

export const AnalyticsCommands = {
  spending: analytics<SpendingQuery, SpendingView>('spending.get', { groupBy: 'string', from: 'string?', to: 'string?', currency: 'string?' }),
  monthlySummary: analytics<NoPayload, MonthlySummaryView>('summary.monthly', {}),
  incomeExpense: analytics<IncomeExpenseQuery, IncomeExpenseView>('report.income-expense', {
    groupBy: 'string',
    from: 'string?',
    to: 'string?',
    currency: 'string?',
  }),
  createBudget: analytics<CreateBudgetPayload, BudgetView>('budget.create', {
    category: 'string',
    amount: 'string',
    currency: 'string',
    period: 'string',
  }),
  listBudgets: analytics<ListQuery, Page<BudgetView>>('budget.list', {}),
  getBudget: analytics<BudgetRef, BudgetView>('budget.get', { budgetId: 'uuid' }),
  budgetProgress: analytics<BudgetRef, BudgetProgressView>('budget.progress', { budgetId: 'uuid' }),
  updateBudget: analytics<UpdateBudgetPayload, BudgetView>('budget.update', {
    budgetId: 'uuid',
    category: 'string?',
    amount: 'string?',
    period: 'string?',
    alertAt: 'array?',
  }),
  deleteBudget: analytics<BudgetRef, Record<string, never>>('budget.delete', { budgetId: 'uuid' }),
  /** Admin (issue 12): platform analytics and the audit log analytics keeps from every service's events. */
  platformAnalytics: analytics<PlatformAnalyticsQuery, PlatformAnalyticsView>('admin.analytics.get', {
    from: 'string?',
    to: 'string?',
    groupBy: 'string?',
  }),
  auditLogs: analytics<AuditLogQuery, Page<AuditLogEntryView>>('admin.audit-logs.list', {
    actorId: 'string?',
    action: 'string?',
    userId: 'string?',
    from: 'string?',
    to: 'string?',
  }),
};

export type SpendingGroupBy = 'category' | 'day' | 'week' | 'month';

export interface SpendingQuery {
  from?: string;
  to?: string;
  groupBy: SpendingGroupBy;
  currency?: string;
}

export const INCOME_EXPENSE_GROUPS = ['month', 'week', 'category'] as const;
export type IncomeExpenseGroupBy = (typeof INCOME_EXPENSE_GROUPS)[number];

/** GET /v1/reports/income-expense: [from, to) (default: the last twelve UTC calendar months), one currency. */
export interface IncomeExpenseQuery {
  groupBy: IncomeExpenseGroupBy;
  from?: string;
  to?: string;
  currency?: string;
}

export interface IncomeExpenseLine {
  credits: string;
  debits: string;
  net: string;
  transactionCount: number;
}

export interface IncomeExpenseView {
  currency: string;
  groupBy: IncomeExpenseGroupBy;
  from: string;
  to: string;
  groups: (IncomeExpenseLine & { key: string })[];
  totals: IncomeExpenseLine;
}

export interface SpendingView {
  currency: string;
  groups: { key: string; total: string; count: number }[];
}

/** Completed money in and out of the user's wallets in one currency over the current UTC calendar month. */
export interface MonthlySummaryLine {
  currency: string;
  credits: string;
  debits: string;
  net: string;
  transactionCount: number;
}

export interface MonthlySummaryView {
  /** First instant of the month (UTC) and the first of the next. */
  periodStart: string;
  periodEnd: string;
  /** One line per currency the user moved money in this month, never summed across currencies. */
  items: MonthlySummaryLine[];
}

export const BUDGET_PERIODS = ['monthly', 'quarterly', 'yearly'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export interface CreateBudgetPayload {
  category: string;
  amount: string;
  currency: string;
  period: string;
  alertAt?: number[];
}

/** PATCH /v1/budgets/{id}: only the fields sent change; the currency stays (the amount is in it). */
export interface UpdateBudgetPayload {
  budgetId: string;
  category?: string;
  amount?: string;
  period?: string;
  alertAt?: number[];
}

export interface BudgetRef {
  budgetId: string;
}

export interface BudgetView {
  id: string;
  category: string;
  amount: string;
  currency: string;
  period: BudgetPeriod;
  alertAt: number[];
  createdAt: string;
}

export interface BudgetProgressView {
  budgetId: string;
  category: string;
  currency: string;
  amount: string;
  spent: string;
  remaining: string;
  /** Spent as a percent of the amount, two decimals, may exceed 100. */
  percent: number;
  periodStart: string;
  periodEnd: string;
}

/** GET /v1/me/summary, put together by the gateway from the ledger and analytics. */
export interface UserSummaryView {
  totalBalances: { currency: string; balance: string }[];
  walletCount: number;
  wallets: unknown[];
  /** The month in the user's main currency (their first open wallet's); every currency is in monthlySummaries. */
  monthlySummary: MonthlySummaryLine;
  monthlySummaries: MonthlySummaryLine[];
  periodStart: string;
  periodEnd: string;
  recentTransactions: unknown[];
}
