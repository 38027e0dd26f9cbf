import Big from 'big.js';
import { DomainError, isUuid, TRANSACTION_STATUSES, TRANSACTION_TYPES, TransactionListQuery } from '@tally/contracts';

/** The list query as the repository takes it: every value checked, amounts as exact decimal text. */
export interface TransactionFilter {
  /** Whose transactions; null (every user's) only for the admin list, so forgetting the owner does not compile. */
  userId: string | null;
  walletId?: string;
  type?: string;
  status?: string;
  merchantCategory?: string;
  from?: Date;
  to?: Date;
  minAmount?: string;
  maxAmount?: string;
  limit: number;
  offset: number;
  sortBy: 'createdAt' | 'amount' | 'type' | 'status';
  sortOrder: 'asc' | 'desc';
}

const SORT_BY = ['createdAt', 'amount', 'type', 'status'] as const;
const AMOUNT = /^\d{1,15}(\.\d{1,3})?$/;

/**
 * Checks GET /v1/transactions' parameters (api-v1 list conventions: limit 1–100, default 50). Amount
 * bounds are major units compared in each transaction's own currency; every problem is named.
 */
export function transactionFilter(userId: string | null, query: TransactionListQuery): TransactionFilter {
  const problems: Record<string, string> = {};
  const q = query ?? {};
  const int = (name: 'limit' | 'offset', fallback: number, min: number, max: number): number => {
    const raw = q[name];
    if (raw === undefined || raw === '') return fallback;
    const n = /^\d{1,7}$/.test(String(raw)) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) problems[name] = `must be a whole number from ${min} to ${max}`;
    return n;
  };
  const date = (name: 'from' | 'to'): Date | undefined => {
    const raw = q[name];
    if (raw === undefined || raw === '') return undefined;
    const d = new Date(String(raw));
    // Years 1 to 9999 only: Postgres has no year 0, and a six-digit year is not a date anyone means.
    const year = d.getUTCFullYear();
    if (Number.isNaN(d.getTime()) || year < 1 || year > 9999) problems[name] = 'must be an ISO 8601 date or time';
    return d;
  };
  const oneOf = <T extends string>(name: keyof TransactionListQuery, allowed: readonly T[]): T | undefined => {
    const raw = q[name];
    if (raw === undefined || raw === '') return undefined;
    if (!allowed.includes(raw as T)) problems[name] = `must be one of ${allowed.join(', ')}`;
    return raw as T;
  };
  const amount = (name: 'minAmount' | 'maxAmount'): string | undefined => {
    const raw = q[name];
    if (raw === undefined || raw === '') return undefined;
    if (!AMOUNT.test(String(raw))) problems[name] = 'must be a decimal amount such as 10.50';
    return String(raw);
  };
  if (q.walletId !== undefined && !isUuid(q.walletId)) problems.walletId = 'must be a wallet id';
  if (q.merchantCategory !== undefined && !/^[a-z][a-z0-9_]{1,49}$/.test(String(q.merchantCategory))) {
    problems.merchantCategory = 'must be a merchant category such as food_beverage';
  }
  const filter: TransactionFilter = {
    userId,
    walletId: q.walletId,
    type: oneOf('type', TRANSACTION_TYPES),
    status: oneOf('status', TRANSACTION_STATUSES),
    merchantCategory: q.merchantCategory,
    from: date('from'),
    to: date('to'),
    minAmount: amount('minAmount'),
    maxAmount: amount('maxAmount'),
    limit: int('limit', 50, 1, 100),
    offset: int('offset', 0, 0, 1_000_000),
    sortBy: oneOf('sortBy', SORT_BY) ?? 'createdAt',
    sortOrder: oneOf('sortOrder', ['asc', 'desc'] as const) ?? 'desc',
  };
  if (filter.from && filter.to && !problems.from && !problems.to && filter.from >= filter.to) problems.to = 'must be after from';
  // Compared only when both are amounts: a malformed bound is already named above.
  if (filter.minAmount && filter.maxAmount && !problems.minAmount && !problems.maxAmount && new Big(filter.minAmount).gt(filter.maxAmount)) {
    problems.maxAmount = 'must not be below minAmount';
  }
  if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The transaction list query is invalid', problems);
  return filter;
}
