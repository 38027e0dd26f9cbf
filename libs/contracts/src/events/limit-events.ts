import { Topics } from '../topics';
import { defineEvent } from './event-contract';

/**
 * A wallet's spending limit was reached: a debit was refused for it, or a debit used up the rest of
 * the day's (or month's) allowance. Added by notification (issue 4); the ledger does not publish it
 * yet (a refusal rolls back the command's transaction, outbox row included).
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
