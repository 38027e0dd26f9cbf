import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, DomainError, EventEnvelope, isUuid, ListNotificationsQuery, NotificationView, Page, TransactionEventData } from '@tally/contracts';
import { formatAmount } from '@tally/money';
import { NotificationsRepository } from './notifications.repository';

@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationsRepository) {}

  /** In-app notifications for a completed movement: the payer's and, for a transfer, the receiver's. */
  async onPosted(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    const amount = `${formatAmount(BigInt(t.amountMinor), t.currency)} ${t.currency}`;
    const data = { transactionId: t.transactionId, reference: t.reference, amount: formatAmount(BigInt(t.amountMinor), t.currency), currency: t.currency };
    if (t.type === 'deposit') {
      await this.notifications.insert(manager, { userId: t.userId, type: 'transaction.completed', title: 'Deposit received', body: `${amount} was added to your wallet.`, data });
      return;
    }
    if (t.type === 'transfer_out') {
      await this.notifications.insert(manager, {
        userId: t.userId,
        type: 'transaction.completed',
        title: 'Transfer sent',
        body: `You sent ${amount} to ${t.counterpartyWalletNumber}.`,
        data,
      });
      if (t.counterpartyUserId) {
        await this.notifications.insert(manager, {
          userId: t.counterpartyUserId,
          type: 'transaction.completed',
          title: 'Money received',
          body: `You received ${amount}.`,
          data: { ...data, direction: 'in' },
        });
      }
      return;
    }
    if (t.type === 'purchase') {
      // A purchase in another currency shows what was paid, then what the wallet was charged.
      const paid = t.originalAmountMinor && t.originalCurrency ? `${formatAmount(BigInt(t.originalAmountMinor), t.originalCurrency)} ${t.originalCurrency} (${amount})` : amount;
      const body = `You paid ${paid} to ${t.merchantName ?? 'a merchant'}.`;
      await this.notifications.insert(manager, { userId: t.userId, type: 'transaction.completed', title: 'Payment completed', body, data });
      return;
    }
    if (t.type === 'withdrawal') {
      await this.notifications.insert(manager, { userId: t.userId, type: 'transaction.completed', title: 'Withdrawal completed', body: `${amount} was withdrawn from your wallet.`, data });
      return;
    }
    await this.notifications.insert(manager, { userId: t.userId, type: 'transaction.completed', title: 'Transaction completed', body: `${amount} (${t.type}).`, data });
  }

  async onVoided(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    await this.notifications.insert(manager, {
      userId: t.userId,
      type: 'transaction.voided',
      title: 'Transaction declined',
      body: `Your ${t.type.replace('_', ' ')} of ${formatAmount(BigInt(t.amountMinor), t.currency)} ${t.currency} was declined and the funds released.`,
      data: { transactionId: t.transactionId, reference: t.reference },
    });
  }

  list(actor: Actor, query: ListNotificationsQuery): Promise<Page<NotificationView>> {
    const limit = Math.min(100, Math.max(1, Math.trunc(Number(query.limit ?? 50)) || 50));
    const offset = Math.max(0, Math.trunc(Number(query.offset ?? 0)) || 0);
    return this.notifications.list(actor.userId, query.unread === true, limit, offset);
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    if (!isUuid(id) || !(await this.notifications.markRead(actor.userId, id))) {
      throw new DomainError('NOT_FOUND', 'Notification not found');
    }
  }
}
