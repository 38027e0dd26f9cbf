import { EventContract } from './event-contract';
import { AdminActionV1 } from './audit-events';
import { BudgetThresholdV1 } from './analytics-events';
import { FraudDecisionV1 } from './fraud-events';
import { EmailTokenIssuedV2, SecurityEventV1, UserRegisteredV1 } from './identity-events';
import {
  GoalMilestoneV1,
  TransactionPendingV1,
  TransactionPostedV1,
  TransactionReversedV1,
  TransactionVoidedV1,
  WalletLimitReachedV1,
  WalletOpenedV1,
  WalletPinChangedV1,
  WalletPinUnlockedV1,
  WalletSettingsChangedV1,
  WalletStatusChangedV1,
} from './ledger-events';

/** What a subscriber needs to know of one event version beside its shape: what it means, its key, an example. */
export interface CatalogueEntry {
  contract: EventContract<unknown>;
  summary: string;
  /** What the Kafka message key is: events with the same key arrive in the order they were written. */
  key: string;
  /** The envelope's `subject`. */
  subject: string;
  example: { subject: string; key: string; data: Record<string, unknown> };
}

const USER = '0195f0a2-6c1e-7a10-8b1c-2f4d5e6a7b80';
const OTHER_USER = '0195f0a2-7d2f-7b20-9c2d-3a5e6f7a8b91';
const WALLET = '0195f0a3-1a2b-7c30-8d4e-5f6a7b8c9d02';
const ACCOUNT = '0195f0a3-1a2b-7c31-8d4e-5f6a7b8c9d03';
const OTHER_WALLET = '0195f0a3-2b3c-7d40-9e5f-6a7b8c9d0e14';
const TRANSACTION = '0195f0a4-3c4d-7e50-8f60-7b8c9d0e1f25';

const transaction = {
  transactionId: TRANSACTION,
  reference: 'TX-20261202-7QK4M2',
  type: 'transfer_out',
  walletId: WALLET,
  userId: USER,
  amountMinor: '2500',
  feeMinor: '50',
  currency: 'USD',
  counterpartyWalletId: OTHER_WALLET,
  counterpartyUserId: OTHER_USER,
  counterpartyWalletNumber: 'WA202612020042',
  description: 'lunch',
  createdAt: '2026-12-02T10:15:00.000Z',
};

const LEDGER_KEY =
  "the ledger account id of the wallet debited (a deposit's or refund's wallet when nothing is debited): one wallet's money events arrive in order";
const ledgerTransaction = (contract: EventContract<unknown>, summary: string, data: Record<string, unknown>): CatalogueEntry => ({
  contract,
  summary,
  key: LEDGER_KEY,
  subject: 'the same account id',
  example: { subject: ACCOUNT, key: ACCOUNT, data },
});

/**
 * Every event Tally publishes, one entry per type and version. The AsyncAPI document
 * (docs/events/asyncapi.json, served at /docs/events) is generated from this and the contracts;
 * event-catalogue.spec.ts fails when a contract is missing here or an example does not fit it.
 */
export const EVENT_CATALOGUE: CatalogueEntry[] = [
  {
    contract: WalletOpenedV1,
    summary: 'A wallet was opened.',
    key: 'the wallet id',
    subject: 'the wallet id',
    example: { subject: WALLET, key: WALLET, data: { walletId: WALLET, walletNumber: 'WA202612020017', userId: USER, currency: 'USD' } },
  },
  {
    contract: WalletStatusChangedV1,
    summary: 'A wallet was frozen, unfrozen or closed (closed is final).',
    key: "the wallet's ledger account id",
    subject: "the wallet's ledger account id",
    example: {
      subject: ACCOUNT,
      key: ACCOUNT,
      data: {
        walletId: WALLET,
        walletNumber: 'WA202612020017',
        userId: USER,
        previousStatus: 'active',
        status: 'frozen',
        reason: 'card lost',
        changedAt: '2026-12-02T10:20:00.000Z',
      },
    },
  },
  {
    contract: WalletSettingsChangedV1,
    summary: "A wallet's holder renamed it or changed its daily or monthly limit; the values after the change, amounts in the wallet's currency.",
    key: "the wallet's ledger account id",
    subject: "the wallet's ledger account id",
    example: {
      subject: ACCOUNT,
      key: ACCOUNT,
      data: {
        walletId: WALLET,
        walletNumber: 'WA202612020017',
        userId: USER,
        name: 'Travel',
        dailyLimit: '500.00',
        monthlyLimit: '5000.00',
        currency: 'USD',
        changed: ['name', 'dailyLimit'],
        changedAt: '2026-12-02T10:20:00.000Z',
      },
    },
  },
  {
    contract: WalletPinChangedV1,
    summary:
      "A wallet's PIN was changed by its owner, with the old PIN ('change') or after re-entering the account password ('reset'); no PIN material: a security notice.",
    key: "the wallet's ledger account id",
    subject: "the wallet's ledger account id",
    example: {
      subject: ACCOUNT,
      key: ACCOUNT,
      data: { walletId: WALLET, walletNumber: 'WA202612020017', userId: USER, changedAt: '2026-12-02T10:25:00.000Z', method: 'reset' },
    },
  },
  {
    contract: WalletPinUnlockedV1,
    summary: "An admin ended a wallet's PIN lock, with a reason: an admin action for the audit log.",
    key: "the wallet's ledger account id",
    subject: "the wallet's ledger account id",
    example: {
      subject: ACCOUNT,
      key: ACCOUNT,
      data: {
        walletId: WALLET,
        walletNumber: 'WA202612020017',
        userId: USER,
        unlockedBy: '01936f0e-5a1c-7b2d-8e3f-4a5b6c7d8e9f',
        reason: 'Owner verified by phone',
        failedAttempts: 5,
        wasLocked: true,
        unlockedAt: '2026-12-02T10:40:00.000Z',
      },
    },
  },
  ledgerTransaction(TransactionPendingV1, 'Funds are held (a transfer, purchase or withdrawal): fraud scores it, then the ledger posts or voids it.', {
    ...transaction,
    status: 'pending',
    timeZone: 'Asia/Kuala_Lumpur',
    baseCurrency: 'MYR',
    baseAmountMinor: '12000',
  }),
  ledgerTransaction(
    TransactionPostedV1,
    'A transaction completed: deposits, posted holds, refunds, goal contributions, and history booked by an admin import (`imported: true`, `occurredAt` when it happened).',
    { ...transaction, status: 'completed' },
  ),
  ledgerTransaction(TransactionVoidedV1, 'A held transaction was voided (fraud rejected it, an admin rejected its review, or its hold expired: `reason`).', {
    ...transaction,
    status: 'voided',
    reason: 'expired',
  }),
  ledgerTransaction(TransactionReversedV1, 'An admin reversed a completed transaction with a new entry of opposite postings.', {
    ...transaction,
    status: 'reversed',
    reason: 'duplicate charge',
  }),
  {
    contract: GoalMilestoneV1,
    summary: 'A contribution brought a savings goal to 25, 50, 75 or 100 % of its target (once per goal and milestone).',
    key: 'the user id',
    subject: "the goal's ledger account id",
    example: {
      subject: '0195f0a5-4d5e-7f60-9a71-8c9d0e1f2a36',
      key: USER,
      data: {
        goalId: '0195f0a5-4d5e-7f61-9a71-8c9d0e1f2a37',
        userId: USER,
        name: 'Holiday',
        currency: 'USD',
        milestone: 50,
        targetAmountMinor: '100000',
        savedAmountMinor: '50000',
        transactionId: TRANSACTION,
      },
    },
  },
  {
    contract: WalletLimitReachedV1,
    summary: "A debit was refused by a spending limit (the wallet's daily or monthly limit, or the user's daily limit across wallets).",
    key: 'the wallet id',
    subject: 'the wallet id',
    example: {
      subject: WALLET,
      key: WALLET,
      data: {
        userId: USER,
        walletId: WALLET,
        limit: 'daily',
        limitMinor: '100000',
        currency: 'USD',
        attemptedMinor: '5000',
        occurredAt: '2026-12-02T10:30:00.000Z',
      },
    },
  },
  {
    contract: FraudDecisionV1,
    summary: 'Fraud scored a held transaction: approve (the ledger posts it), review (it stays held), reject (the ledger voids it).',
    key: "the key of the transaction.pending it decides (the debited wallet's account id), so a wallet's decisions keep their order",
    subject: 'the transaction id',
    example: {
      subject: TRANSACTION,
      key: ACCOUNT,
      data: { transactionId: TRANSACTION, decision: 'review', score: 60, flags: ['HIGH_VALUE', 'OFF_HOURS', 'UNUSUAL_AMOUNT'] },
    },
  },
  {
    contract: BudgetThresholdV1,
    summary: "A budget's spending reached one of its alertAt thresholds in the current period (once per budget, period and threshold).",
    key: 'the user id',
    subject: 'the budget id',
    example: {
      subject: '0195f0a6-5e6f-7071-8b82-9d0e1f2a3b48',
      key: USER,
      data: {
        budgetId: '0195f0a6-5e6f-7071-8b82-9d0e1f2a3b48',
        userId: USER,
        category: 'groceries',
        currency: 'USD',
        threshold: 80,
        amountMinor: '50000',
        spentMinor: '40250',
        periodStart: '2026-12-01',
        periodEnd: '2026-12-31',
      },
    },
  },
  {
    contract: UserRegisteredV1,
    summary: 'A user registered.',
    key: 'the user id',
    subject: 'the user id',
    example: { subject: USER, key: USER, data: { userId: USER, username: 'ann' } },
  },
  {
    contract: SecurityEventV1,
    summary:
      "An entry of identity's security audit trail (logins, lockouts, revocations, role changes, second factor...); kinds in SECURITY_EVENT_KINDS. Never a session id; failures naming no known account are not published.",
    key: 'the user id',
    subject: 'the same',
    example: {
      subject: USER,
      key: USER,
      data: { userId: USER, kind: 'login_succeeded', ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
    },
  },
  {
    contract: EmailTokenIssuedV2,
    summary:
      "A single-use token to email to the user (verification or password reset), sealed to notification's X25519 key (libs/auth sealed-box, context emailTokenSealContext): only notification can open it, to send the email. Version 1 carried the token in clear and is gone.",
    key: 'the user id',
    subject: 'the user id',
    example: {
      subject: USER,
      key: USER,
      data: {
        userId: USER,
        email: 'ann@example.com',
        fullName: 'Ann Lee',
        purpose: 'verify_email',
        sealedToken: 'x25519.v1.<ephemeral public key>.<iv>.<tag>.<ciphertext>',
        expiresAt: '2026-12-03T10:00:00.000Z',
      },
    },
  },
  {
    contract: AdminActionV1,
    summary:
      'An admin acted (a fraud review decided, a rule changed, a ledger run started, an import submitted or completed), written by the service that did it in the same transaction as the change; analytics keeps the audit log from it.',
    key: "the acting admin's id: one admin's actions arrive in order",
    subject: "the acting admin's id",
    example: {
      subject: OTHER_USER,
      key: OTHER_USER,
      data: {
        actorId: OTHER_USER,
        action: 'fraud.review.approved',
        targetType: 'transaction',
        targetId: TRANSACTION,
        subjectUserId: USER,
        reason: 'customer confirmed by phone',
        ip: '203.0.113.9',
        userAgent: 'Mozilla/5.0',
        details: { score: 60, flags: ['HIGH_VALUE', 'HIGH_VELOCITY', 'UNUSUAL_AMOUNT'] },
      },
    },
  },
];
