import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, isUuid, ReversalPayload, TransactionReversedV1, TransactionView, uuidv7 } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { JournalRepository, PostingInput } from '../journal/journal.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { originalEntry } from '../refunds/original-postings';
import { toTransactionEvent, toTransactionView } from '../transactions/transaction-view';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { ledgerEventId } from '../replay/ledger-event-id';

/**
 * An admin undoes a completed transaction: a new posted entry with the opposite postings of the one
 * that moved the money (fee included), linked to it (same transaction id, kind reversal,
 * metadata.reversesEntryId); the transaction rows (both sides of a transfer) turn 'reversed' and a
 * transaction.reversed event announces it. The journal itself is never changed.
 * Refused for anything not completed (pending, voided, already reversed), for a purchase with
 * refunds (refund the rest instead) and for a refund. Reversing a transfer or a deposit takes the
 * money back from the wallet that got it: when that wallet has spent it, the database's overdraft
 * CHECK refuses the entry and the answer is INSUFFICIENT_FUNDS. A unique index lets a transaction be
 * reversed at most once.
 */
@Injectable()
export class ReverseTransactionHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly messaging: Messaging,
  ) {}

  async execute(actor: Actor, input: ReversalPayload, idempotencyKey: string): Promise<TransactionView> {
    // The gateway's route is admin-only already; the ledger does not rely on it.
    if (!actor.roles.includes('admin')) throw new DomainError('FORBIDDEN', 'Only an admin can reverse a transaction');
    if (!isUuid(input.transactionId)) throw new DomainError('NOT_FOUND', 'Transaction not found');
    if (typeof input.reason !== 'string' || input.reason.trim().length === 0 || input.reason.length > 500) {
      throw new DomainError('VALIDATION_FAILED', 'reason is required (at most 500 characters)');
    }
    const scope = `user:${actor.userId}`;
    const hash = requestHash('transaction.reverse', { ...input });
    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'transaction.reverse', hash);
      if (claim.replay) return claim.response as TransactionView;
      let tx = await this.transactions.lockById(manager, input.transactionId);
      if (!tx) throw new DomainError('NOT_FOUND', 'Transaction not found');
      // The receiver's side of a transfer stands for the transfer itself.
      if (tx.linked_transaction_id) {
        const primary = await this.transactions.lockById(manager, tx.linked_transaction_id);
        if (!primary) throw new DomainError('NOT_FOUND', 'Transaction not found');
        tx = primary;
      }
      if (tx.type === 'refund') {
        throw new DomainError('VALIDATION_FAILED', 'A refund cannot be reversed', { type: tx.type });
      }
      if (tx.status !== 'completed') {
        throw new DomainError('CONFLICT', `A ${tx.status} transaction cannot be reversed`, { status: tx.status });
      }
      if (BigInt(tx.refunded_amount) > 0n) {
        throw new DomainError('CONFLICT', 'A purchase with refunds cannot be reversed; refund what is left instead', {
          refundedAmount: tx.refunded_amount,
        });
      }
      const original = await originalEntry(manager, tx);
      const postings: PostingInput[] = original.postings.map((p) => ({
        accountId: p.accountId,
        direction: p.direction === 'D' ? 'C' : 'D',
        amount: p.amount,
        currency: p.currency,
      }));
      const reversed = await this.transactions.markReversed(manager, tx.id);
      const entryId = uuidv7();
      await enqueueEvent(manager, 'ledger', TransactionReversedV1, {
        id: ledgerEventId(entryId, TransactionReversedV1.type),
        source: 'ledger',
        subject: original.postings.find((p) => p.direction === 'D')?.accountId ?? tx.wallet_id,
        data: { ...toTransactionEvent(reversed), reason: input.reason },
      });
      const result = toTransactionView(reversed);
      await this.idempotency.complete(manager, scope, idempotencyKey, result);
      await this.journal.append(
        manager,
        {
          id: entryId,
          transactionId: tx.id,
          kind: 'reversal',
          phase: 'posted',
          description: input.reason,
          metadata: { reversesEntryId: original.entryId, reason: input.reason, reversedBy: actor.userId },
        },
        postings,
      );
      return result;
    });
    this.messaging.published();
    return view;
  }
}
