import { Topics } from '../topics';
import { Shape } from '../schema';
import { defineEvent } from './event-contract';

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
