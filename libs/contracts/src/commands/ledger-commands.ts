import { Topics } from '../topics';
import type { Shape } from '../schema';
import { CommandContract, defineCommand, NoPayload, REQUEST_ORIGIN_SHAPE } from './command-contract';
import type { RequestOrigin } from './identity-commands';
import type { AdminTransactionDetailView, AdminTransactionListQuery, AdminTransactionView, AdminWalletView, WalletOwnerView } from './admin-views';
import type { CreateImportPayload, ImportDetailView, ImportListQuery, ImportRef, ImportView } from './import-commands';
import type { Page } from './notification-commands';

const ledger = <TPayload, TReply = unknown>(type: string, shape: Shape): CommandContract<TPayload, TReply> =>
  defineCommand<TPayload, TReply>({ topic: Topics.ledgerCommands, type, shape });

const WALLET: Shape = { walletId: 'uuid' };

/** The ledger's commands, one contract per command version (sent by the gateway to ledger.commands). */
export const LedgerCommands = {
  openWallet: ledger<OpenWalletPayload, WalletView>('wallet.open', {
    currency: 'string',
    pin: 'string',
    dailyLimit: 'string?',
    monthlyLimit: 'string?',
    timeZone: 'string?',
    name: 'string?',
  }),
  updateWallet: ledger<UpdateWalletPayload, WalletView>('wallet.update', { ...WALLET, name: 'string?', dailyLimit: 'string?', monthlyLimit: 'string?' }),
  listWallets: ledger<NoPayload, WalletView[]>('wallet.list', {}),
  getWallet: ledger<WalletRef, WalletView>('wallet.get', WALLET),
  getBalance: ledger<WalletRef, BalanceView>('wallet.balance', WALLET),
  deposit: ledger<DepositPayload, TransactionView>('deposit.create', {
    ...WALLET,
    amount: 'string',
    description: 'string?',
    paymentMethod: 'string?',
  }),
  transfer: ledger<TransferPayload, TransactionView>('transfer.create', {
    fromWalletId: 'string',
    toWalletNumber: 'string',
    amount: 'string',
    pin: 'string',
    description: 'string?',
  }),
  getTransaction: ledger<TransactionRef, TransactionView>('transaction.get', { transactionId: 'uuid' }),
  listTransactions: ledger<TransactionListQuery, TransactionList>('transaction.list', {}),
  changePin: ledger<ChangePinPayload>('wallet.changePin', { ...WALLET, oldPin: 'string', newPin: 'string' }),
  /** The owner sets a new PIN after the gateway re-authenticated them with their password; ends a PIN lock. */
  resetPin: ledger<ResetPinPayload>('wallet.resetPin', { ...WALLET, newPin: 'string' }),
  /** An admin ends a wallet's PIN lock (audited: wallet.pin_unlocked). */
  unlockPin: ledger<UnlockPinPayload, WalletView>('wallet.unlockPin', { ...WALLET, reason: 'string' }),
  freezeWallet: ledger<WalletStatusPayload, WalletView>('wallet.freeze', { ...WALLET, reason: 'string?' }),
  unfreezeWallet: ledger<WalletStatusPayload, WalletView>('wallet.unfreeze', { ...WALLET, reason: 'string?' }),
  closeWallet: ledger<WalletStatusPayload, WalletView>('wallet.close', { ...WALLET, reason: 'string?' }),
  withdrawal: ledger<WithdrawalPayload, TransactionView>('withdrawal.create', {
    ...WALLET,
    amount: 'string',
    pin: 'string',
    description: 'string?',
  }),
  payment: ledger<PaymentPayload, TransactionView>('payment.create', {
    walletId: 'string',
    amount: 'string',
    currency: 'string?',
    merchantName: 'string',
    merchantCategory: 'string',
    pin: 'string',
    description: 'string?',
  }),
  refund: ledger<RefundPayload, TransactionView>('refund.create', { transactionId: 'uuid', amount: 'string?', reason: 'string?' }),
  reverseTransaction: ledger<ReversalPayload, TransactionView>('transaction.reverse', { transactionId: 'uuid', reason: 'string' }),
  // Admin: reports over the whole ledger and journal replay (role admin; see apps/ledger/src/reports, replay).
  getBalanceAsOf: ledger<BalanceAsOfPayload, BalanceAsOfView>('wallet.balance_as_of', { ...WALLET, asOf: 'string' }),
  trialBalance: ledger<NoPayload, TrialBalanceView>('ledger.trial_balance', {}),
  startVerification: ledger<RequestOrigin, VerificationRunView>('ledger.verification.start', REQUEST_ORIGIN_SHAPE),
  getVerification: ledger<RunRef, VerificationRunView>('ledger.verification.get', { runId: 'uuid' }),
  startReplay: ledger<ReplayPayload & RequestOrigin, ReplayRunView>('ledger.replay.start', {
    from: 'string?',
    to: 'string?',
    ...REQUEST_ORIGIN_SHAPE,
  }),
  getReplay: ledger<RunRef, ReplayRunView>('ledger.replay.get', { runId: 'uuid' }),
  // Savings goals: each goal is a ledger account of its owner (see apps/ledger/src/goals).
  createGoal: ledger<CreateGoalPayload, GoalView>('goal.create', {
    name: 'string',
    targetAmount: 'string',
    currency: 'string',
    deadline: 'string?',
  }),
  listGoals: ledger<NoPayload, { items: GoalView[]; total: number }>('goal.list', {}),
  getGoal: ledger<GoalRef, GoalView>('goal.get', { goalId: 'uuid' }),
  contributeToGoal: ledger<GoalContributionPayload, TransactionView>('goal.contribute', {
    goalId: 'uuid',
    fromWalletId: 'string',
    amount: 'string',
    pin: 'string',
  }),
  withdrawFromGoal: ledger<GoalWithdrawalPayload, TransactionView>('goal.withdraw', { goalId: 'uuid', toWalletId: 'string', amount: 'string' }),
  updateGoal: ledger<UpdateGoalPayload, GoalView>('goal.update', { goalId: 'uuid', name: 'string?', targetAmount: 'string?', deadline: 'string?' }),
  closeGoal: ledger<CloseGoalPayload, ClosedGoalView>('goal.close', { goalId: 'uuid', toWalletId: 'string?' }),
  // Admin reads over every user's money (issue 12; see apps/ledger/src/admin): never a write.
  adminListTransactions: ledger<AdminTransactionListQuery, Page<AdminTransactionView>>('admin.transaction.list', {}),
  adminGetTransaction: ledger<TransactionRef, AdminTransactionDetailView>('admin.transaction.get', { transactionId: 'uuid' }),
  adminUserWallets: ledger<{ userId: string }, AdminWalletView[]>('admin.wallet.list-of-user', { userId: 'uuid' }),
  adminFindWalletOwners: ledger<{ q: string }, WalletOwnerView[]>('admin.wallet.find-owners', { q: 'string' }),
  // Admin bulk import of past transactions (see apps/ledger/src/imports).
  createImport: ledger<CreateImportPayload, ImportView>('admin.import.create', {
    description: 'string?',
    entries: 'array',
    ...REQUEST_ORIGIN_SHAPE,
  }),
  listImports: ledger<ImportListQuery, Page<ImportView>>('admin.import.list', { status: 'string?' }),
  getImport: ledger<ImportRef, ImportDetailView>('admin.import.get', { importId: 'uuid', rowStatus: 'string?' }),
  // FX rates as data (see apps/ledger/src/fx): admins and auditors read them, admins change them (audited).
  adminListFxRates: ledger<NoPayload, FxRateView[]>('admin.fx_rate.list', {}),
  adminSetFxRate: ledger<SetFxRatePayload, FxRateView>('admin.fx_rate.set', {
    base: 'string',
    quote: 'string',
    rate: 'string',
    reason: 'string',
    ...REQUEST_ORIGIN_SHAPE,
  }),
};

/** 1 `base` = `rate` `quote`, as stored (the other direction is derived as 1 ÷ rate). */
export interface FxRateView {
  base: string;
  quote: string;
  /** Decimal text. */
  rate: string;
  updatedAt: string;
}

/** An admin sets one stored rate, with a reason (kept in ledger.fx_rate_changes and the audit log). */
export interface SetFxRatePayload {
  base: string;
  quote: string;
  rate: string;
  reason: string;
  ip?: string;
  userAgent?: string;
}

export interface CreateGoalPayload {
  name: string;
  targetAmount: string;
  currency: string;
  /** ISO date (YYYY-MM-DD), today or later. */
  deadline?: string;
}

export interface GoalRef {
  goalId: string;
}

/** Money from one of the owner's wallets into the goal's account, checked by the wallet's PIN. */
/** POST /v1/goals/{id}/withdrawals: money from the goal back to one of the owner's wallets (type goal_withdrawal). */
export interface GoalWithdrawalPayload {
  goalId: string;
  toWalletId: string;
  amount: string;
}

/** PATCH /v1/goals/{id}: only the fields sent change; deadline null removes it. */
export interface UpdateGoalPayload {
  goalId: string;
  name?: string;
  targetAmount?: string;
  deadline?: string | null;
}

/** DELETE /v1/goals/{id}: a goal that holds money is emptied into toWalletId first. */
export interface CloseGoalPayload {
  goalId: string;
  toWalletId?: string;
}

export interface ClosedGoalView {
  goal: GoalView & { closedAt: string };
  /** The goal_withdrawal that emptied it, or null when it held nothing. */
  transaction: TransactionView | null;
}

export interface GoalContributionPayload {
  goalId: string;
  fromWalletId: string;
  amount: string;
  pin: string;
}

export interface GoalView {
  id: string;
  name: string;
  currency: string;
  targetAmount: string;
  /** What the goal's account holds. */
  savedAmount: string;
  /** savedAmount as a percent of targetAmount, two decimals, may exceed 100. */
  percent: number;
  deadline: string | null;
  createdAt: string;
}

export interface OpenWalletPayload {
  currency: string;
  pin: string;
  dailyLimit?: string;
  monthlyLimit?: string;
  /** IANA name; the calendar day and month of the limits follow it (default LEDGER_DEFAULT_TIME_ZONE). */
  timeZone?: string;
  name?: string;
}

/** PATCH /v1/wallets/{id}: only the fields sent change; limits stay within the platform's caps. */
export interface UpdateWalletPayload {
  walletId: string;
  /** null removes the name. */
  name?: string | null;
  dailyLimit?: string;
  monthlyLimit?: string;
}

export interface WalletRef {
  walletId: string;
}

/** The PINs never leave the ledger: they are checked and hashed there and appear in no event. */
export interface ChangePinPayload {
  walletId: string;
  oldPin: string;
  newPin: string;
}

/** Sent by the gateway only after identity confirmed the owner's password (POST /v1/wallets/{id}/pin/reset). */
export interface ResetPinPayload {
  walletId: string;
  newPin: string;
}

export interface UnlockPinPayload {
  walletId: string;
  reason: string;
}

/** Freeze, unfreeze or close a wallet. */
export interface WalletStatusPayload {
  walletId: string;
  reason?: string;
}

export interface DepositPayload {
  walletId: string;
  amount: string;
  description?: string;
  paymentMethod?: string;
}

export interface TransferPayload {
  fromWalletId: string;
  toWalletNumber: string;
  amount: string;
  pin: string;
  description?: string;
}

/** Money out of a wallet to the external funding source. */
export interface WithdrawalPayload {
  walletId: string;
  amount: string;
  pin: string;
  description?: string;
}

/** A purchase; `currency` (default: the wallet's) may differ from the wallet's and is then converted. */
export interface PaymentPayload {
  walletId: string;
  amount: string;
  currency?: string;
  merchantName: string;
  merchantCategory: string;
  pin: string;
  description?: string;
}

export interface TransactionRef {
  transactionId: string;
}

/** A refund of a completed purchase: the whole remainder when amount is left out. */
export interface RefundPayload {
  transactionId: string;
  amount?: string;
  reason?: string;
}

/** An admin's reversal of a completed transaction. */
export interface ReversalPayload {
  transactionId: string;
  reason: string;
}

export interface WalletView {
  id: string;
  walletNumber: string;
  userId: string;
  currency: string;
  balance: string;
  available: string;
  pending: string;
  status: string;
  dailyLimit: string;
  monthlyLimit: string;
  dailySpent: string;
  monthlySpent: string;
  /** IANA time zone whose calendar day and month the limits count in. */
  timeZone: string;
  /** The holder's own name for the wallet, or null. */
  name: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface BalanceView {
  walletId: string;
  walletNumber: string;
  currency: string;
  balance: string;
  available: string;
  pending: string;
  dailyLimit: string;
  monthlyLimit: string;
  dailySpent: string;
  monthlySpent: string;
  status: string;
}

export interface TransactionView {
  id: string;
  reference: string;
  type: string;
  status: string;
  amount: string;
  currency: string;
  fee: string;
  walletId: string;
  counterpartyWalletNumber?: string;
  merchantName?: string;
  merchantCategory?: string;
  description: string;
  fraudScore?: number;
  fraudFlags?: string[];
  originalTransactionId?: string;
  refundedAmount: string;
  createdAt: string;
  completedAt?: string;
  /** A purchase in another currency: what was paid, in what, and the rate applied (1 originalCurrency = fxRate currency). */
  originalAmount?: string;
  originalCurrency?: string;
  fxRate?: string;
  /** A goal contribution: the goal it went to. */
  goalId?: string;
  /** Booked by an admin bulk import: createdAt is when it happened (occurredAt), completedAt when it was booked. */
  imported?: boolean;
  occurredAt?: string;
}

/** A wallet's balance as it stood at `asOf` (ISO 8601 with a zone, not in the future). */
export interface BalanceAsOfPayload {
  walletId: string;
  asOf: string;
}

/** Money fields as of `asOf`; limits, spending and status are today's. */
export interface BalanceAsOfView extends BalanceView {
  asOf: string;
}

/** One currency of the trial balance: posted totals over every account, and what pending entries hold. */
export interface TrialBalanceLine {
  currency: string;
  totalDebits: string;
  totalCredits: string;
  pendingDebits: string;
  pendingCredits: string;
  /** Posted debits equal posted credits, and pending debits equal pending credits. */
  balanced: boolean;
  accounts: number;
}

export interface TrialBalanceView {
  items: TrialBalanceLine[];
  balanced: boolean;
  generatedAt: string;
}

export type BalanceField = 'postedDebits' | 'postedCredits' | 'pendingDebits' | 'pendingCredits';

/** A balance row that does not equal the fold of its account's postings. */
export interface BalanceDifference {
  accountId: string;
  currency: string;
  field: BalanceField;
  /** From the postings. */
  expected: string;
  /** In the balances table. */
  actual: string;
}

export interface RunRef {
  runId: string;
}

export interface VerificationRunView {
  id: string;
  status: 'running' | 'completed';
  checkedAccounts: number;
  /** The first differences found (at most 1000); differenceCount counts them all. */
  differences: BalanceDifference[];
  differenceCount: number;
  /** Null while running. */
  ok: boolean | null;
  requestedAt: string;
  completedAt?: string;
}

/** Journal replay range over entry time, `from` inclusive, `to` exclusive (default: now). */
export interface ReplayPayload {
  from?: string;
  to?: string;
}

export interface ReplayRunView {
  id: string;
  status: 'running' | 'completed';
  topic: string;
  from: string | null;
  to: string;
  walletsReplayed: number;
  entriesReplayed: number;
  eventsWritten: number;
  requestedAt: string;
  completedAt?: string;
}

/** The transaction types and statuses of api-v1.md. */
export const TRANSACTION_TYPES = [
  'deposit',
  'withdrawal',
  'transfer_out',
  'transfer_in',
  'purchase',
  'refund',
  'fee',
  'fx_conversion',
  'cashback',
  'goal_contribution',
  'goal_withdrawal',
] as const;
export const TRANSACTION_STATUSES = ['pending', 'completed', 'failed', 'voided', 'reversed'] as const;

/** GET /v1/transactions: filters and list parameters, as the query string gave them. */
export interface TransactionListQuery {
  walletId?: string;
  type?: string;
  status?: string;
  merchantCategory?: string;
  from?: string;
  to?: string;
  minAmount?: string;
  maxAmount?: string;
  limit?: string;
  offset?: string;
  sortBy?: string;
  sortOrder?: string;
}

export interface TransactionList {
  items: TransactionView[];
  total: number;
  limit: number;
  offset: number;
}
