export const AnalyticsCommands = {
  spending: 'spending.get',
  monthlySummary: 'summary.monthly',
  createBudget: 'budget.create',
  listBudgets: 'budget.list',
  getBudget: 'budget.get',
  budgetProgress: 'budget.progress',
  /** Admin (issue 12): platform analytics and the audit log analytics keeps from every service's events. */
  platformAnalytics: 'admin.analytics.get',
  auditLogs: 'admin.audit-logs.list',
} as const;

export type SpendingGroupBy = 'category' | 'day' | 'week' | 'month';

export interface SpendingQuery {
  from?: string;
  to?: string;
  groupBy: SpendingGroupBy;
  currency?: string;
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
