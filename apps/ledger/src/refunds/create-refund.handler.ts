import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, isUuid, RefundPayload, TransactionPostedV1, TransactionView, uuidv7 } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { parseAmount } from '@tally/money';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { JournalRepository } from '../journal/journal.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { toTransactionEvent, toTransactionView } from '../transactions/transaction-view';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { WalletsRepository } from '../wallets/wallets.repository';
import { originalEntry } from './original-postings';
import { purchaseLegs, refundAmount, refundPostings } from './refund-amounts';
import { ledgerEventId } from '../replay/ledger-event-id';

/**
 * Refunds a completed purchase, in full or in part, through the same accounts it went through (the
 * merchant's settlement account, and the FX position accounts for a purchase in another currency),
 * the other way round. Rules:
 * - Who: the purchase's owner for their own purchase, an admin for any; anyone else gets NOT_FOUND.
 * - What: purchases only. A transfer is not refundable by its sender (it would take money from the
 *   receiver); an admin reverses it instead (ReverseTransactionHandler).
 * - When: only a completed purchase; a pending, voided or reversed one is refused (CONFLICT).
 * - How much: `amount` in the purchase's currency, the whole remainder when left out; partial refunds
 *   add up to at most the purchase amount (REFUND_EXCEEDS_ORIGINAL beyond that), also under
 *   concurrency: the purchase row is locked while its refunded total is checked and raised, and a
 *   CHECK on the table refuses a total above the amount. The purchase fee is not refunded.
 * Each refund is its own posted entry, its own transaction row (type refund, originalTransactionId)
 * and a transaction.posted event; the purchase keeps status completed and shows refundedAmount.
 */
@Injectable()
export class CreateRefundHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly wallets: WalletsRepository,
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly messaging: Messaging,
  ) {}

  async execute(actor: Actor, input: RefundPayload, idempotencyKey: string): Promise<TransactionView> {
    if (!isUuid(input.transactionId)) throw new DomainError('NOT_FOUND', 'Transaction not found');
    if (input.reason !== undefined && (typeof input.reason !== 'string' || input.reason.length > 500)) {
      throw new DomainError('VALIDATION_FAILED', 'reason must be text of at most 500 characters');
    }
    const scope = `user:${actor.userId}`;
    const hash = requestHash('refund.create', { ...input });
    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'refund.create', hash);
      if (claim.replay) return claim.response as TransactionView;
      // The lock serialises refunds of one purchase: each sees the refunded total of the one before.
      const purchase = await this.transactions.lockById(manager, input.transactionId);
      if (!purchase || (purchase.user_id !== actor.userId && !actor.roles.includes('admin'))) {
        throw new DomainError('NOT_FOUND', 'Transaction not found');
      }
      if (purchase.type !== 'purchase') {
        throw new DomainError('VALIDATION_FAILED', 'Only a purchase can be refunded; an admin can reverse other transactions', { type: purchase.type });
      }
      if (purchase.status !== 'completed') {
        throw new DomainError('CONFLICT', `A ${purchase.status} purchase cannot be refunded`, { status: purchase.status });
      }
      const requested = input.amount === undefined ? undefined : parseAmount(input.amount, purchase.currency);
      const before = BigInt(purchase.refunded_amount);
      const amount = refundAmount(BigInt(purchase.amount), before, requested);
      const wallet = await this.wallets.findById(purchase.wallet_id, manager);
      // Freezing stops spending, not money coming back; a closed wallet takes nothing.
      if (!wallet || wallet.status === 'closed') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet of this purchase is closed');

      const legs = purchaseLegs((await originalEntry(manager, purchase)).postings, wallet.account_id, BigInt(purchase.fee));
      const postings = refundPostings(legs, BigInt(purchase.amount), before, before + amount);
      const description = input.reason ?? `Refund of ${purchase.reference}`;
      const refundId = uuidv7();
      const merchantSide = purchase.original_currency
        ? postings.filter((p) => p.currency === purchase.original_currency && p.direction === 'D').reduce((s, p) => s + p.amount, 0n)
        : 0n;
      const refund = await this.transactions.insert(manager, {
        id: refundId,
        type: 'refund',
        status: 'completed',
        walletId: purchase.wallet_id,
        userId: purchase.user_id,
        amount,
        fee: 0n,
        currency: purchase.currency,
        description,
        merchantName: purchase.merchant_name ?? undefined,
        merchantCategory: purchase.merchant_category ?? undefined,
        originalTransactionId: purchase.id,
        ...(merchantSide > 0n && purchase.original_currency && purchase.fx_rate
          ? { fx: { originalAmount: merchantSide, originalCurrency: purchase.original_currency, rate: purchase.fx_rate } }
          : {}),
      });
      await this.transactions.addRefunded(manager, purchase.id, amount);
      const entryId = uuidv7();
      await enqueueEvent(manager, 'ledger', TransactionPostedV1, {
        id: ledgerEventId(entryId, TransactionPostedV1.type),
        source: 'ledger',
        subject: wallet.account_id,
        data: { ...toTransactionEvent(refund), originalTransactionId: purchase.id, reason: input.reason ?? null },
      });
      const result = toTransactionView(refund);
      await this.idempotency.complete(manager, scope, idempotencyKey, result);
      // Last write: the balance rows (the merchant's is a hot one) stay locked only until COMMIT.
      await this.journal.append(
        manager,
        {
          id: entryId,
          transactionId: refundId,
          kind: 'refund',
          phase: 'posted',
          description,
          metadata: { refundOf: purchase.id, refundedBy: actor.userId, ...(input.reason ? { reason: input.reason } : {}) },
        },
        postings,
      );
      return result;
    });
    this.messaging.published();
    return view;
  }
}
