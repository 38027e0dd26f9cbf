import { Injectable } from '@nestjs/common';
import { Actor, DomainError, isUuid, RefundPayload, TransactionPostedV1, TransactionView, uuidv7 } from '@tally/contracts';
import { parseAmount } from '@tally/money';
import { requestHash } from '../idempotency/idempotency.repository';
import { PostingKernel } from '../posting/posting-kernel';
import { ledgerEventId } from '../replay/ledger-event-id';
import { toTransactionEvent, toTransactionView } from '../transactions/transaction-view';
import { purchaseLegs, refundAmount, refundPostings } from './refund-amounts';

/** The API key scope that lets a partner (a merchant's system) refund purchases. */
export const REFUNDS_SCOPE = 'refunds:write';

/**
 * Refunds a completed purchase, in full or in part, through the same accounts it went through (the
 * merchant's settlement account, and the FX position accounts for a purchase in another currency),
 * the other way round. Rules:
 * - Who: an admin, or a partner calling with an API key that has the `refunds:write` scope. Never
 *   the payer (a payer refunding their own purchase would take the money back from the merchant):
 *   403 FORBIDDEN for their own purchase; anyone else NOT_FOUND.
 * - What: purchases only. A transfer is not refundable by its sender (it would take money from the
 *   receiver); an admin reverses it instead (ReverseTransactionHandler).
 * - When: only a completed purchase; a pending, voided or reversed one is refused (CONFLICT).
 * - How much: `amount` in the purchase's currency, the whole remainder when left out; partial refunds
 *   add up to at most the purchase amount (REFUND_EXCEEDS_ORIGINAL beyond that), also under
 *   concurrency: the purchase row is locked by the batch while its refunded total is checked and
 *   raised, and a CHECK on the table refuses a total above the amount. The purchase fee is not refunded.
 * Each refund is its own posted entry, its own transaction row (type refund, originalTransactionId)
 * and a transaction.posted event; the purchase keeps status completed and shows refundedAmount.
 */
@Injectable()
export class CreateRefundHandler {
  constructor(private readonly kernel: PostingKernel) {}

  async execute(actor: Actor, input: RefundPayload, idempotencyKey: string): Promise<TransactionView> {
    if (!isUuid(input.transactionId)) throw new DomainError('NOT_FOUND', 'Transaction not found');
    if (input.reason !== undefined && (typeof input.reason !== 'string' || input.reason.length > 500)) {
      throw new DomainError('VALIDATION_FAILED', 'reason must be text of at most 500 characters');
    }
    const refunder = actor.roles.includes('admin') || (actor.apiKeyId !== undefined && (actor.scopes ?? []).includes(REFUNDS_SCOPE));
    return this.kernel.submit({
      kind: 'refund',
      needs: {
        claim: { scope: `user:${actor.userId}`, key: idempotencyKey, command: 'refund.create', hash: requestHash('refund.create', { ...input }) },
        transactions: [input.transactionId],
      },
      decide: (ctx) => {
        const purchase = ctx.state.transaction(input.transactionId);
        if (!purchase || (!refunder && purchase.user_id !== actor.userId)) throw new DomainError('NOT_FOUND', 'Transaction not found');
        if (!refunder) {
          throw new DomainError('FORBIDDEN', 'A purchase is refunded by the merchant (an API key with the refunds:write scope) or an admin, not by the payer');
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
        const wallet = ctx.state.wallet(purchase.wallet_id);
        // Freezing stops spending, not money coming back; a closed wallet takes nothing.
        if (!wallet || wallet.status === 'closed') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet of this purchase is closed');
        const legs = purchaseLegs(ctx.state.postingsOf(purchase.id), wallet.account_id, BigInt(purchase.fee));
        const postings = refundPostings(legs, BigInt(purchase.amount), before, before + amount);
        const description = input.reason ?? `Refund of ${purchase.reference}`;
        const refundId = uuidv7();
        const merchantSide = purchase.original_currency
          ? postings.filter((p) => p.currency === purchase.original_currency && p.direction === 'D').reduce((s, p) => s + p.amount, 0n)
          : 0n;
        const refund = ctx.writes.transaction({
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
        ctx.writes.refunded.push({ id: purchase.id, amount });
        const entryId = ctx.writes.entry(
          {
            id: uuidv7(),
            transactionId: refundId,
            kind: 'refund',
            phase: 'posted',
            description,
            metadata: {
              refundOf: purchase.id,
              refundedBy: actor.userId,
              ...(actor.apiKeyId ? { apiKeyId: actor.apiKeyId } : {}),
              ...(input.reason ? { reason: input.reason } : {}),
            },
          },
          postings,
        );
        ctx.writes.event(TransactionPostedV1, {
          id: ledgerEventId(entryId, TransactionPostedV1.type),
          source: 'ledger',
          subject: wallet.account_id,
          data: { ...toTransactionEvent(refund), originalTransactionId: purchase.id, reason: input.reason ?? null },
        });
        return toTransactionView(refund);
      },
    });
  }
}
