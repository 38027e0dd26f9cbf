import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, isUuid, ReversalPayload, TransactionReversedV1, TransactionView, uuidv7 } from '@tally/contracts';
import { requestHash } from '../idempotency/idempotency.repository';
import { PostingInput } from '../journal/journal.repository';
import { PostingKernel } from '../posting/posting-kernel';
import { ledgerEventId } from '../replay/ledger-event-id';
import { toTransactionEvent, toTransactionView } from '../transactions/transaction-view';

/**
 * An admin undoes a completed transaction: a new posted entry with the opposite postings of the one
 * that moved the money (fee included), linked to it (same transaction id, kind reversal,
 * metadata.reversesEntryId); the transaction rows (both sides of a transfer) turn 'reversed' and a
 * transaction.reversed event announces it. The journal itself is never changed.
 * Refused for anything not completed (pending, voided, already reversed), for a purchase with
 * refunds (refund the rest instead) and for a refund. Reversing a transfer or a deposit takes the
 * money back from the wallet that got it: when that wallet has spent it, INSUFFICIENT_FUNDS (the
 * wallet is locked with the batch, and the database's overdraft CHECK stands behind the check). A
 * unique index lets a transaction be reversed at most once.
 */
@Injectable()
export class ReverseTransactionHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kernel: PostingKernel,
  ) {}

  async execute(actor: Actor, input: ReversalPayload, idempotencyKey: string): Promise<TransactionView> {
    // The gateway's route is admin-only already; the ledger does not rely on it.
    if (!actor.roles.includes('admin')) throw new DomainError('FORBIDDEN', 'Only an admin can reverse a transaction');
    if (!isUuid(input.transactionId)) throw new DomainError('NOT_FOUND', 'Transaction not found');
    if (typeof input.reason !== 'string' || input.reason.trim().length === 0 || input.reason.length > 500) {
      throw new DomainError('VALIDATION_FAILED', 'reason is required (at most 500 characters)');
    }
    // Read before the batch (an admin's rare command): which transaction stands for it (the
    // receiver's side of a transfer stands for the transfer) and which wallets and goals the
    // reversal takes money back from, so the batch locks them. The decision checks all of it again.
    const target = await this.reversalTarget(input.transactionId);
    if (!target) throw new DomainError('NOT_FOUND', 'Transaction not found');
    return this.kernel.submit({
      kind: 'reversal',
      needs: {
        claim: { scope: `user:${actor.userId}`, key: idempotencyKey, command: 'transaction.reverse', hash: requestHash('transaction.reverse', { ...input }) },
        wallets: target.wallets,
        goals: target.goals,
        transactions: [target.transactionId],
      },
      decide: (ctx) => {
        const tx = ctx.state.transaction(target.transactionId);
        if (!tx) throw new DomainError('NOT_FOUND', 'Transaction not found');
        if (tx.type === 'refund') throw new DomainError('VALIDATION_FAILED', 'A refund cannot be reversed', { type: tx.type });
        if (tx.status !== 'completed') throw new DomainError('CONFLICT', `A ${tx.status} transaction cannot be reversed`, { status: tx.status });
        if (BigInt(tx.refunded_amount) > 0n) {
          throw new DomainError('CONFLICT', 'A purchase with refunds cannot be reversed; refund what is left instead', { refundedAmount: tx.refunded_amount });
        }
        const original = ctx.state.postingsOf(tx.id);
        if (original.length === 0) throw new Error(`no journal entry found for transaction ${tx.id}`);
        const postings: PostingInput[] = original.map((p) => ({
          accountId: p.accountId,
          direction: p.direction === 'D' ? 'C' : 'D',
          amount: p.amount,
          currency: p.currency,
        }));
        // What the reversal takes back from a wallet or goal must still be there.
        const owed = new Map<string, bigint>();
        for (const p of postings)
          if (p.direction === 'D' && isOwnedAccount(p.accountId, original)) owed.set(p.accountId, (owed.get(p.accountId) ?? 0n) + p.amount);
        for (const [accountId, amount] of owed) {
          if (ctx.state.available(accountId) < amount) throw new DomainError('INSUFFICIENT_FUNDS', 'The money to take back has been spent');
        }
        ctx.writes.reversed.push(tx.id);
        const reversed = { ...tx, status: 'reversed' };
        const entryId = ctx.writes.entry(
          {
            id: uuidv7(),
            transactionId: tx.id,
            kind: 'reversal',
            phase: 'posted',
            description: input.reason,
            metadata: { reversesEntryId: original[0].entryId, reason: input.reason, reversedBy: actor.userId },
          },
          postings,
        );
        ctx.writes.event(TransactionReversedV1, {
          id: ledgerEventId(entryId, TransactionReversedV1.type),
          source: 'ledger',
          subject: original.find((p) => p.direction === 'D')?.accountId ?? tx.wallet_id,
          data: { ...toTransactionEvent(reversed), reason: input.reason },
        });
        return toTransactionView(reversed);
      },
    });
  }

  private async reversalTarget(id: string): Promise<{ transactionId: string; wallets: string[]; goals: string[] } | undefined> {
    const rows: { primary_id: string; wallet_id: string | null; goal_id: string | null }[] = await this.dataSource.query(
      `WITH tx AS (SELECT coalesce(linked_transaction_id, id) AS primary_id FROM ledger.transactions WHERE id = $1),
            moved AS (
              SELECT t.id, coalesce(t.pending_entry_id, (SELECT e.id FROM ledger.journal_entries e
                                                          WHERE e.transaction_id = t.id AND e.phase = 'posted' AND e.kind <> 'reversal'
                                                          ORDER BY e.created_at LIMIT 1)) AS entry_id
                FROM ledger.transactions t JOIN tx ON t.id = tx.primary_id)
       SELECT m.id AS primary_id, w.id AS wallet_id, g.id AS goal_id
         FROM moved m
         LEFT JOIN ledger.postings p ON p.entry_id = m.entry_id AND p.direction = 'C'
         LEFT JOIN ledger.wallets w ON w.account_id = p.account_id
         LEFT JOIN ledger.goals g ON g.account_id = p.account_id`,
      [id],
    );
    if (rows.length === 0) return undefined;
    return {
      transactionId: rows[0].primary_id,
      wallets: [...new Set(rows.flatMap((r) => (r.wallet_id ? [r.wallet_id] : [])))],
      goals: [...new Set(rows.flatMap((r) => (r.goal_id ? [r.goal_id] : [])))],
    };
  }
}

/** Wallet and goal accounts (codes wallet:… and goal:…) never go below zero; system accounts may. */
function isOwnedAccount(accountId: string, original: { accountId: string; accountCode: string }[]): boolean {
  const code = original.find((p) => p.accountId === accountId)?.accountCode ?? '';
  return code.startsWith('wallet:') || code.startsWith('goal:');
}
