import { Topics } from '../topics';
import { Shape } from '../schema';
import { defineEvent, EventContract } from './event-contract';

export interface WalletOpenedV1 {
  walletId: string;
  walletNumber: string;
  userId: string;
  currency: string;
}

export const WalletOpenedV1 = defineEvent<WalletOpenedV1>({
  type: 'wallet.opened',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: { walletId: 'uuid', walletNumber: 'string', userId: 'uuid', currency: 'currency' },
});

/** A wallet was frozen, unfrozen or closed (closed is final). */
export interface WalletStatusChangedV1 {
  walletId: string;
  walletNumber: string;
  userId: string;
  previousStatus: string;
  status: string;
  reason?: string | null;
  changedAt: string;
}

export const WalletStatusChangedV1 = defineEvent<WalletStatusChangedV1>({
  type: 'wallet.status_changed',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: { walletId: 'uuid', walletNumber: 'string', userId: 'uuid', previousStatus: 'string', status: 'string', reason: 'string?', changedAt: 'string' },
});

/** A wallet's holder changed its name or limits (PATCH /v1/wallets/{id}): the values after the change, and which fields changed. */
export interface WalletSettingsChangedV1 {
  walletId: string;
  walletNumber: string;
  userId: string;
  name: string | null;
  dailyLimit: string;
  monthlyLimit: string;
  currency: string;
  /** Of name, dailyLimit, monthlyLimit. */
  changed: string[];
  changedAt: string;
}

export const WalletSettingsChangedV1 = defineEvent<WalletSettingsChangedV1>({
  type: 'wallet.settings_changed',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: {
    walletId: 'uuid',
    walletNumber: 'string',
    userId: 'uuid',
    name: 'string?',
    dailyLimit: 'string',
    monthlyLimit: 'string',
    currency: 'currency',
    changed: 'string[]',
    changedAt: 'string',
  },
});

/** A wallet's PIN was changed by its owner; it carries no PIN material (a security notice for the holder). */
export interface WalletPinChangedV1 {
  walletId: string;
  walletNumber: string;
  userId: string;
  changedAt: string;
  /** Added (optional): 'change' with the old PIN, 'reset' with the account password. */
  method?: 'change' | 'reset' | null;
}

export const WalletPinChangedV1 = defineEvent<WalletPinChangedV1>({
  type: 'wallet.pin_changed',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: { walletId: 'uuid', walletNumber: 'string', userId: 'uuid', changedAt: 'string', method: 'string?' },
});

/** An admin ended a wallet's PIN lock: an admin action, for the audit log. */
export interface WalletPinUnlockedV1 {
  walletId: string;
  walletNumber: string;
  userId: string;
  unlockedBy: string;
  reason: string;
  /** Misses counted when it was unlocked, and whether it was locked then. */
  failedAttempts: number;
  wasLocked: boolean;
  unlockedAt: string;
}

export const WalletPinUnlockedV1 = defineEvent<WalletPinUnlockedV1>({
  type: 'wallet.pin_unlocked',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: {
    walletId: 'uuid',
    walletNumber: 'string',
    userId: 'uuid',
    unlockedBy: 'uuid',
    reason: 'string',
    failedAttempts: 'int',
    wasLocked: 'boolean',
    unlockedAt: 'string',
  },
});

/** A money movement as other services see it; amounts are integer minor units as strings. */
export interface TransactionEventData {
  transactionId: string;
  reference: string;
  type: string;
  status: string;
  walletId: string;
  userId: string;
  amountMinor: string;
  feeMinor: string;
  currency: string;
  counterpartyWalletId?: string | null;
  counterpartyUserId?: string | null;
  counterpartyWalletNumber?: string | null;
  merchantName?: string | null;
  merchantCategory?: string | null;
  description?: string | null;
  createdAt: string;
  /** Set on a refund: the purchase it refunds. */
  originalTransactionId?: string | null;
  /** Why it was voided or reversed, e.g. 'expired' for a hold that timed out. */
  reason?: string | null;
  /** A purchase in another currency: the amount paid in it (minor units) and the rate applied (1 original = fxRate wallet currency). */
  originalAmountMinor?: string | null;
  originalCurrency?: string | null;
  fxRate?: string | null;
  /** On transaction.pending (added, optional: older events lack them): the wallet's IANA time zone, and the debit with its fee in the ledger's base currency. */
  timeZone?: string | null;
  baseCurrency?: string | null;
  baseAmountMinor?: string | null;
  /** A goal contribution: the goal (a ledger account of the same user) the money went to. */
  goalId?: string | null;
  /** Booked by an admin bulk import (added, optional): when it happened; createdAt is when it was booked. */
  occurredAt?: string | null;
  imported?: boolean | null;
}

const transactionShape: Shape = {
  transactionId: 'uuid',
  reference: 'string',
  type: 'string',
  status: 'string',
  walletId: 'uuid',
  userId: 'uuid',
  amountMinor: 'minor',
  feeMinor: 'minor',
  currency: 'currency',
  counterpartyWalletId: 'uuid?',
  counterpartyUserId: 'uuid?',
  counterpartyWalletNumber: 'string?',
  merchantName: 'string?',
  merchantCategory: 'string?',
  description: 'string?',
  createdAt: 'string',
  originalTransactionId: 'uuid?',
  reason: 'string?',
  originalAmountMinor: 'minor?',
  originalCurrency: 'string?',
  fxRate: 'string?',
  timeZone: 'string?',
  baseCurrency: 'string?',
  baseAmountMinor: 'minor?',
  goalId: 'uuid?',
  occurredAt: 'string?',
  imported: 'boolean?',
};

/** Funds are held; fraud scores it and the ledger posts or voids it. */
export const TransactionPendingV1 = defineEvent<TransactionEventData>({
  type: 'transaction.pending',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: transactionShape,
});

export const TransactionPostedV1 = defineEvent<TransactionEventData>({
  type: 'transaction.posted',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: transactionShape,
});

export const TransactionVoidedV1 = defineEvent<TransactionEventData>({
  type: 'transaction.voided',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: transactionShape,
});

/** A completed transaction was undone by an admin: a new posted entry with the opposite postings. */
export const TransactionReversedV1 = defineEvent<TransactionEventData>({
  type: 'transaction.reversed',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: transactionShape,
});

/**
 * A contribution brought a savings goal to 25, 50, 75 or 100 % of its target. Announced once per
 * goal and milestone (a goal that falls back and climbs again is not announced twice).
 */
export interface GoalMilestoneV1 {
  goalId: string;
  userId: string;
  name: string;
  currency: string;
  milestone: number;
  targetAmountMinor: string;
  savedAmountMinor: string;
  /** The contribution that reached it. */
  transactionId: string;
}

export const GoalMilestoneV1 = defineEvent<GoalMilestoneV1>({
  type: 'goal.milestone',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: {
    goalId: 'uuid',
    userId: 'uuid',
    name: 'string',
    currency: 'currency',
    milestone: 'int',
    targetAmountMinor: 'minor',
    savedAmountMinor: 'minor',
    transactionId: 'uuid',
  },
});

/**
 * The same event as published again by a journal replay, on ledger.replay: same type, version,
 * data and id as the live one, so a projection that reads both dedupes the overlap in its inbox.
 */
export function replayedOnLedgerReplay<TData>(contract: EventContract<TData>): EventContract<TData> {
  return { ...contract, topic: Topics.ledgerReplay };
}

/**
 * A debit was refused by a spending limit: the wallet's daily or monthly limit, or the user's daily
 * limit across wallets ('userDaily', in the base currency). The ledger writes it in a transaction of
 * its own after the refused command's rolled back; each refused attempt announces one.
 */
export interface WalletLimitReachedV1 {
  userId: string;
  walletId: string;
  /** 'daily', 'monthly' or 'userDaily'. */
  limit: string;
  limitMinor: string;
  currency: string;
  /** Set when a debit was refused: the amount it asked for. */
  attemptedMinor?: string | null;
  occurredAt: string;
}

export const WalletLimitReachedV1 = defineEvent<WalletLimitReachedV1>({
  type: 'wallet.limit_reached',
  version: 1,
  topic: Topics.ledgerEvents,
  shape: { userId: 'uuid', walletId: 'uuid', limit: 'string', limitMinor: 'minor', currency: 'currency', attemptedMinor: 'minor?', occurredAt: 'string' },
});
