export const AnalyticsCommands = {
  spending: 'spending.get',
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
