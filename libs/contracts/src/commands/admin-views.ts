import type { AdminUserView } from './identity-commands';
import type { TransactionListQuery, TransactionView, WalletView } from './ledger-commands';

/**
 * The admin API's reads (issue 12): each answered by the service that owns the data, the gateway
 * putting a user's picture together from identity and the ledger. Emails and phones are shown in
 * full to `admin` on one user's page (they act on the account and may need to reach its owner) and
 * masked the seed's way (`joh***@gmail.com`, `9876XXXXX0`) in every list and for `auditor`.
 */

/** GET /v1/admin/users?q=: matches email, name or username (identity) or a wallet number (the ledger's owners). */
export interface AdminUserSearch {
  q?: string;
  /** Owners of the wallets whose number matched q, found by the ledger. */
  walletOwnerIds?: string[];
}

export interface SecurityEventView {
  id: string;
  kind: string;
  ip: string | null;
  userAgent: string | null;
  sessionId: string | null;
  apiKeyId: string | null;
  /** The admin who did it, when it was not the user. */
  actorId: string | null;
  createdAt: string;
}

export interface AdminSessionView {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

/** Identity's part of one user's admin page. */
export interface AdminUserRecordView {
  user: AdminUserView;
  /** False when email and phone are shown in full (role admin). */
  piiMasked: boolean;
  sessions: AdminSessionView[];
  securityEvents: SecurityEventView[];
}

/** A wallet as staff see it: its PIN lock too (an admin may lift it). */
export interface AdminWalletView extends WalletView {
  failedPinAttempts: number;
  pinLocked: boolean;
}

/** GET /v1/admin/users/{id}: identity's record with the ledger's wallets (balances included). */
export interface AdminUserDetailView extends AdminUserRecordView {
  wallets: AdminWalletView[];
}

/** A wallet number's owner, for the admin search. */
export interface WalletOwnerView {
  walletId: string;
  walletNumber: string;
  userId: string;
}

/** GET /v1/admin/transactions: every user's, with the list filters plus userId. */
export interface AdminTransactionListQuery extends TransactionListQuery {
  userId?: string;
}

/** Every transaction as an admin sees it: the owner's id added, and for imported history its import and booking time. */
export interface AdminTransactionView extends TransactionView {
  userId: string;
  /** Imported: the import and its row, and when it was booked (createdAt and occurredAt: when it happened). */
  importId?: string;
  importRow?: number;
  bookedAt?: string;
}

export interface PostingView {
  accountId: string;
  /** The account's code: `wallet:<id>`, `system:fee_revenue:USD`, `goal:<id>` ... */
  accountCode: string;
  accountType: string;
  ownerId: string | null;
  direction: 'D' | 'C';
  amount: string;
  currency: string;
}

export interface JournalEntryView {
  id: string;
  kind: string;
  /** posted, pending (funds held), post_pending or void_pending (resolving a pending entry). */
  phase: string;
  pendingEntryId: string | null;
  description: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
  postings: PostingView[];
}

/** GET /v1/admin/transactions/{id}: the transaction, its journal entries with postings, and the rows linked to it. */
export interface AdminTransactionDetailView {
  transaction: AdminTransactionView;
  journalEntries: JournalEntryView[];
  /** The other side of a transfer, refunds of a purchase, the purchase a refund refunds. */
  related: AdminTransactionView[];
}

export const ANALYTICS_GROUPS = ['day', 'week', 'month'] as const;
export type AnalyticsGroupBy = (typeof ANALYTICS_GROUPS)[number];

export interface PlatformAnalyticsQuery {
  from?: string;
  to?: string;
  groupBy?: string;
}

/** An amount in one currency; amounts in different currencies are never added up. */
export interface CurrencyAmount {
  currency: string;
  amount: string;
}

export interface AnalyticsPeriod {
  /** `2026-11-02` (day), `2026-W45` (ISO week), `2026-11` (month), in UTC. */
  period: string;
  transactions: number;
  completed: number;
  registrations: number;
  activeUsers: number;
  /** Completed movements: what was moved (amounts) and the fees charged, per currency. */
  volume: CurrencyAmount[];
  fees: CurrencyAmount[];
}

export interface PlatformAnalyticsView {
  from: string;
  to: string;
  groupBy: AnalyticsGroupBy;
  totals: {
    /** Transactions that happened in the range, whatever became of them. */
    transactions: number;
    completed: number;
    pending: number;
    /** Voided (fraud, expiry) or failed. */
    failed: number;
    reversed: number;
    /** completed (reversed included: it had completed) ÷ settled, in percent with two decimals; null when none settled. */
    successRate: number | null;
    /** Users with a transaction or a sign-in in the range. */
    activeUsers: number;
    registrations: number;
  };
  /** Completed movements by type and currency (a transfer once, as transfer_out). */
  byType: { type: string; currency: string; count: number; volume: string }[];
  volume: CurrencyAmount[];
  feeRevenue: CurrencyAmount[];
  /** What the platform paid out as cashback and referral rewards (zero until those features exist). */
  cashbackExpense: CurrencyAmount[];
  referralExpense: CurrencyAmount[];
  topCurrencies: { currency: string; count: number; volume: string }[];
  /** Purchases by merchant category, most used first. */
  topCategories: { category: string; currency: string; count: number; volume: string }[];
  series: AnalyticsPeriod[];
  /** Held transactions still pending now, per currency (with their fees), whatever their date. */
  pendingNow: CurrencyAmount[];
}

export interface AuditLogQuery {
  actorId?: string;
  action?: string;
  /** The user the action touched (or whose security event it is). */
  userId?: string;
  from?: string;
  to?: string;
  limit?: string | number;
  offset?: string | number;
  sortOrder?: string;
}

/** One line of the audit log: an admin action or a security event, from whichever service recorded it. */
export interface AuditLogEntryView {
  id: string;
  occurredAt: string;
  /** identity, ledger or fraud. */
  source: string;
  /** login_failed, user_suspended, fraud.review.approved, ledger.verification.started, ... */
  action: string;
  actorId: string | null;
  subjectUserId: string | null;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}
