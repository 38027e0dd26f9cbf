import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { createHash } from 'node:crypto';
import {
  BudgetThresholdV1,
  EmailTokenIssuedV2,
  emailTokenSealContext,
  EventEnvelope,
  FraudDecisionV1,
  GoalMilestoneV1,
  SecurityEventV1,
  TransactionEventData,
  WalletLimitReachedV1,
  WalletOpenedV1,
} from '@tally/contracts';
import { formatAmount } from '@tally/money';
import { WalletBalancesRepository } from '../balances/wallet-balances.repository';
import { composeTokenEmail } from '../email/email-templates';
import { NOTIFICATION_CONFIG, NotificationConfig } from '../config/notification.config';
import { EmailOutbox } from '../email/email-outbox';
import { Notifier } from './notifier';
import { ReviewWatchRepository } from './review-watch.repository';
import { UserContactsRepository } from './user-contacts.repository';

/** Money leaving a wallet: held at transaction.pending, then posted or voided. */
const DEBIT_TYPES = new Set(['transfer_out', 'purchase', 'withdrawal']);
/** Money leaving a wallet posted at once, without a hold (the projections branch's goal contributions). */
const POSTED_AT_ONCE_DEBITS = new Set(['goal_contribution']);

const money = (minor: string | bigint, currency: string): string => `${formatAmount(BigInt(minor), currency)} ${currency}`;

/**
 * Turns the events notification consumes into notifications (through the Notifier, which applies
 * the user's preferences), and keeps the two small projections alerts need: each wallet's available
 * balance (balance.low) and transactions held for review (transaction.pending_review).
 */
/** How a limit of wallet.limit_reached reads in a notification. */
const LIMIT_NAMES: Record<string, string> = { daily: 'daily limit', monthly: 'monthly limit', userDaily: 'daily limit across all your wallets' };

@Injectable()
export class EventNotificationsService {
  constructor(
    private readonly notifier: Notifier,
    private readonly balances: WalletBalancesRepository,
    private readonly reviews: ReviewWatchRepository,
    private readonly contacts: UserContactsRepository,
    private readonly email: EmailOutbox,
    @Inject(NOTIFICATION_CONFIG) private readonly config: Pick<NotificationConfig, 'email'>,
  ) {}

  async onWalletOpened(event: EventEnvelope<WalletOpenedV1>, manager: EntityManager): Promise<void> {
    await this.balances.open(manager, event.data.walletId, event.data.userId, event.data.currency);
  }

  /** A debit is held: the wallet's available balance drops now; fraud may also have put it in review. */
  async onPending(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    if (DEBIT_TYPES.has(t.type)) await this.balances.add(manager, t.walletId, t.userId, t.currency, -debited(t));
    const review = await this.reviews.pending(manager, t);
    if (review) await this.notifyReview(manager, review);
  }

  async onFraudDecision(event: EventEnvelope<FraudDecisionV1>, manager: EntityManager): Promise<void> {
    if (event.data.decision !== 'review') return;
    const review = await this.reviews.inReview(manager, event.data.transactionId);
    if (review) await this.notifyReview(manager, review);
  }

  /** A completed movement: the payer's and, for a transfer, the receiver's notification; low-balance checks. */
  async onPosted(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    const amount = money(t.amountMinor, t.currency);
    const data = { transactionId: t.transactionId, reference: t.reference, amount: formatAmount(BigInt(t.amountMinor), t.currency), currency: t.currency };
    await this.reviews.forget(manager, t.transactionId);
    if (t.type === 'deposit' || t.type === 'refund' || t.type === 'goal_withdrawal') {
      await this.balances.add(manager, t.walletId, t.userId, t.currency, BigInt(t.amountMinor));
    }
    // Imported history is posted without a hold before it, so its debits leave the balance here.
    if (POSTED_AT_ONCE_DEBITS.has(t.type) || (t.imported === true && DEBIT_TYPES.has(t.type))) {
      await this.balances.add(manager, t.walletId, t.userId, t.currency, -debited(t));
    }
    if (t.type === 'transfer_out' && t.counterpartyWalletId && t.counterpartyUserId) {
      await this.balances.add(manager, t.counterpartyWalletId, t.counterpartyUserId, t.currency, BigInt(t.amountMinor));
    }
    // History from an admin import: balances kept in step above, nobody notified of old news.
    if (t.imported === true) return;

    if (t.type === 'deposit') {
      await this.notifier.notify(manager, {
        userId: t.userId,
        type: 'transaction.completed',
        title: 'Deposit received',
        body: `${amount} was added to your wallet.`,
        data,
      });
    } else if (t.type === 'refund') {
      const body = `${amount} from ${t.merchantName ?? 'a merchant'} was refunded to your wallet.`;
      await this.notifier.notify(manager, {
        userId: t.userId,
        type: 'refund.completed',
        title: 'Refund received',
        body,
        data: { ...data, originalTransactionId: t.originalTransactionId ?? null },
      });
    } else if (t.type === 'transfer_out') {
      await this.notifier.notify(manager, {
        userId: t.userId,
        type: 'transaction.completed',
        title: 'Transfer sent',
        body: `You sent ${amount} to ${t.counterpartyWalletNumber}.`,
        data,
      });
      if (t.counterpartyUserId) {
        await this.notifier.notify(manager, {
          userId: t.counterpartyUserId,
          type: 'transaction.completed',
          title: 'Money received',
          body: `You received ${amount}.`,
          data: { ...data, direction: 'in' },
        });
      }
    } else if (t.type === 'purchase') {
      // A purchase in another currency shows what was paid, then what the wallet was charged.
      const paid = t.originalAmountMinor && t.originalCurrency ? `${money(t.originalAmountMinor, t.originalCurrency)} (${amount})` : amount;
      await this.notifier.notify(manager, {
        userId: t.userId,
        type: 'transaction.completed',
        title: 'Payment completed',
        body: `You paid ${paid} to ${t.merchantName ?? 'a merchant'}.`,
        data,
      });
    } else if (t.type === 'goal_contribution') {
      await this.notifier.notify(manager, {
        userId: t.userId,
        type: 'transaction.completed',
        title: 'Saved towards your goal',
        body: `${amount} went from your wallet to your goal.`,
        data,
      });
    } else if (t.type === 'goal_withdrawal') {
      await this.notifier.notify(manager, {
        userId: t.userId,
        type: 'transaction.completed',
        title: 'Moved from your goal',
        body: `${amount} went from your goal back to your wallet.`,
        data,
      });
    } else if (t.type === 'withdrawal') {
      await this.notifier.notify(manager, {
        userId: t.userId,
        type: 'transaction.completed',
        title: 'Withdrawal completed',
        body: `${amount} was withdrawn from your wallet.`,
        data,
      });
    } else {
      await this.notifier.notify(manager, {
        userId: t.userId,
        type: 'transaction.completed',
        title: 'Transaction completed',
        body: `${amount} (${t.type}).`,
        data,
      });
    }

    await this.checkLowBalance(manager, t.walletId, DEBIT_TYPES.has(t.type) || POSTED_AT_ONCE_DEBITS.has(t.type));
    if (t.type === 'transfer_out' && t.counterpartyWalletId) await this.checkLowBalance(manager, t.counterpartyWalletId, false);
  }

  async onVoided(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    await this.reviews.forget(manager, t.transactionId);
    if (DEBIT_TYPES.has(t.type)) await this.balances.add(manager, t.walletId, t.userId, t.currency, debited(t));
    await this.notifier.notify(manager, {
      userId: t.userId,
      type: 'transaction.voided',
      title: 'Transaction declined',
      body: `Your ${t.type.replace('_', ' ')} of ${money(t.amountMinor, t.currency)} was declined and the funds released.`,
      data: { transactionId: t.transactionId, reference: t.reference, reason: t.reason ?? null },
    });
    await this.checkLowBalance(manager, t.walletId, false);
  }

  /** An admin's reversal: the opposite entry. Only the balances change here (no event type for it in api-v1). */
  async onReversed(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    const amount = BigInt(t.amountMinor);
    if (DEBIT_TYPES.has(t.type) || POSTED_AT_ONCE_DEBITS.has(t.type)) await this.balances.add(manager, t.walletId, t.userId, t.currency, debited(t));
    if (t.type === 'deposit' || t.type === 'refund' || t.type === 'goal_withdrawal')
      await this.balances.add(manager, t.walletId, t.userId, t.currency, -amount);
    if (t.type === 'transfer_out' && t.counterpartyWalletId && t.counterpartyUserId) {
      await this.balances.add(manager, t.counterpartyWalletId, t.counterpartyUserId, t.currency, -amount);
      await this.checkLowBalance(manager, t.counterpartyWalletId, false);
    }
    await this.checkLowBalance(manager, t.walletId, false);
  }

  async onLimitReached(event: EventEnvelope<WalletLimitReachedV1>, manager: EntityManager): Promise<void> {
    const l = event.data;
    const limit = LIMIT_NAMES[l.limit] ?? `${l.limit} limit`;
    const body = l.attemptedMinor
      ? `A payment of ${money(l.attemptedMinor, l.currency)} was refused: it would pass your ${limit} of ${money(l.limitMinor, l.currency)}.`
      : `You have reached your ${limit} of ${money(l.limitMinor, l.currency)}.`;
    await this.notifier.notify(manager, {
      userId: l.userId,
      type: 'limit.reached',
      title: 'Spending limit reached',
      body,
      data: { walletId: l.walletId, limit: l.limit },
    });
  }

  /** Analytics' budget.threshold (contract from the projections branch). */
  async onBudgetThreshold(event: EventEnvelope<BudgetThresholdV1>, manager: EntityManager): Promise<void> {
    const b = event.data;
    await this.notifier.notify(manager, {
      userId: b.userId,
      type: 'budget.threshold',
      title: `Budget ${b.category}: ${b.threshold}% reached`,
      body: `${money(b.spentMinor, b.currency)} of your ${money(b.amountMinor, b.currency)} ${b.category} budget is spent.`,
      data: {
        budgetId: b.budgetId,
        category: b.category,
        threshold: b.threshold,
        currency: b.currency,
        spent: formatAmount(BigInt(b.spentMinor), b.currency),
        amount: formatAmount(BigInt(b.amountMinor), b.currency),
        periodStart: b.periodStart,
        periodEnd: b.periodEnd,
      },
    });
  }

  /** The ledger's goal.milestone (contract from the projections branch). */
  async onGoalMilestone(event: EventEnvelope<GoalMilestoneV1>, manager: EntityManager): Promise<void> {
    const g = event.data;
    await this.notifier.notify(manager, {
      userId: g.userId,
      type: 'goal.milestone',
      title: g.milestone === 100 ? `Goal ${g.name} reached` : `Goal ${g.name}: ${g.milestone}% saved`,
      body: `${money(g.savedAmountMinor, g.currency)} of ${money(g.targetAmountMinor, g.currency)} saved.`,
      data: {
        goalId: g.goalId,
        milestone: g.milestone,
        transactionId: g.transactionId,
        currency: g.currency,
        savedAmount: formatAmount(BigInt(g.savedAmountMinor), g.currency),
        targetAmount: formatAmount(BigInt(g.targetAmountMinor), g.currency),
      },
    });
  }

  /**
   * Identity's security trail (contract from the identity branch): account_locked as is; a
   * login_succeeded from a user agent this user never signed in from before (not their first) as
   * security.login_new_device. The IP is not kept or shown.
   */
  async onSecurityEvent(event: EventEnvelope<SecurityEventV1>, manager: EntityManager): Promise<void> {
    const s = event.data;
    if (!s.userId) return;
    if (s.kind === 'account_locked') {
      await this.notifier.notify(manager, {
        userId: s.userId,
        type: 'security.account_locked',
        title: 'Your account is locked',
        body: 'Too many failed sign-ins: your account is locked for a while. If this was not you, reset your password.',
        data: { occurredAt: event.occurredAt },
      });
      return;
    }
    if (s.kind !== 'login_succeeded') return;
    const device = (s.userAgent ?? 'unknown device').slice(0, 120);
    const seen = await this.contacts.seenDevice(manager, s.userId, createHash('sha256').update(device).digest('hex'));
    if (!seen.isNew || seen.first) return;
    await this.notifier.notify(manager, {
      userId: s.userId,
      type: 'security.login_new_device',
      title: 'New sign-in to your account',
      body: `Your account was signed in to from a new device (${device}). If this was not you, change your password.`,
      data: { device, occurredAt: event.occurredAt },
    });
  }

  /**
   * Queues identity's verification or reset email and keeps the address for email notifications.
   * The token stays sealed (only the sender opens it, while sending); the body holds a placeholder.
   * One handler, in the consumer's inbox transaction: the inbox is keyed by event id, so a second
   * consumer of the same event in this service would see it as handled and skip it.
   */
  async onEmailTokenIssued(event: EventEnvelope<EmailTokenIssuedV2>, manager: EntityManager): Promise<void> {
    const d = event.data;
    await this.contacts.rememberAddress(manager, d.userId, d.email);
    await this.email.enqueue(manager, {
      userId: d.userId,
      to: d.email,
      ...composeTokenEmail(d, this.config.email.linkBaseUrl),
      sealed: { secret: d.sealedToken, context: emailTokenSealContext(d) },
    });
  }

  private async notifyReview(manager: EntityManager, t: TransactionEventData): Promise<void> {
    await this.notifier.notify(manager, {
      userId: t.userId,
      type: 'transaction.pending_review',
      title: 'Transaction under review',
      body: `Your ${t.type.replace('_', ' ')} of ${money(t.amountMinor, t.currency)} is being reviewed; the funds stay held until it is decided.`,
      data: { transactionId: t.transactionId, reference: t.reference },
    });
  }

  /** `debit`: a posted debit of this wallet, the only thing that raises the alert; anything else may re-arm it. */
  private async checkLowBalance(manager: EntityManager, walletId: string, debit: boolean): Promise<void> {
    const low = await this.balances.checkLow(manager, walletId, debit);
    if (!low) return;
    await this.notifier.notify(manager, {
      userId: low.userId,
      type: 'balance.low',
      title: 'Low balance',
      body: `Your ${low.currency} wallet has ${money(low.availableMinor, low.currency)} available, below the ${money(low.thresholdMinor, low.currency)} you set.`,
      data: {
        walletId: low.walletId,
        available: formatAmount(low.availableMinor, low.currency),
        threshold: formatAmount(low.thresholdMinor, low.currency),
        currency: low.currency,
      },
    });
  }
}

/** What a debit takes from the wallet: the amount and its fee. */
function debited(t: TransactionEventData): bigint {
  return BigInt(t.amountMinor) + BigInt(t.feeMinor);
}
