import { TransactionPostedV1, TransactionVoidedV1, uuidv7 } from '@tally/contracts';
import { DecisionContext } from '../posting/posting-command';
import { ledgerEventId } from '../replay/ledger-event-id';
import { toTransactionEvent } from '../transactions/transaction-view';
import { TransactionRow } from '../transactions/transactions.repository';

export interface PendingResolution {
  outcome: 'post' | 'void';
  /** Fraud's score and flags when fraud decided; left out, the row keeps what it has. */
  fraud?: { score: number; flags: string[] };
  /** Why, when it is not fraud's decision (e.g. 'expired'); recorded on the entry and the event. */
  reason?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Resolves a held (pending) entry once, inside a batch: posts it or voids it with an entry that
 * repeats the held postings, settles the transaction rows (both sides of a transfer) and announces
 * it. The batch holds the transaction's row lock and the caller has checked it is still pending; the
 * unique index on journal_entries.pending_entry_id refuses a second resolution anyway. Fraud's
 * decision, hold expiry and fraud's fail-open all come through here.
 */
export function resolvePending(ctx: DecisionContext, tx: TransactionRow, resolution: PendingResolution): TransactionRow {
  if (tx.status !== 'pending' || !tx.pending_entry_id) throw new Error(`transaction ${tx.id} is not pending`);
  const post = resolution.outcome === 'post';
  const postings = ctx.state.postingsOf(tx.id).filter((p) => p.entryId === tx.pending_entry_id);
  const fraud = resolution.fraud ?? { score: tx.fraud_score, flags: tx.fraud_flags };
  const status = post ? 'completed' : 'voided';
  ctx.writes.settled.push({ id: tx.id, status, fraudScore: fraud.score, fraudFlags: fraud.flags });
  const settled: TransactionRow = { ...tx, status, fraud_score: fraud.score, fraud_flags: fraud.flags, completed_at: post ? ctx.now : null };
  // Named up front: the event's id derives from it (a journal replay repeats that id).
  const entryId = uuidv7();
  const contract = post ? TransactionPostedV1 : TransactionVoidedV1;
  ctx.writes.event(contract, {
    id: ledgerEventId(entryId, contract.type),
    source: 'ledger',
    subject: postings.find((p) => p.direction === 'D')?.accountId ?? tx.wallet_id,
    data: resolution.reason ? { ...toTransactionEvent(settled), reason: resolution.reason } : toTransactionEvent(settled),
  });
  ctx.writes.entry(
    {
      id: entryId,
      transactionId: tx.id,
      kind: tx.type === 'transfer_out' ? 'transfer' : tx.type,
      phase: post ? 'post_pending' : 'void_pending',
      pendingEntryId: tx.pending_entry_id,
      metadata: { ...resolution.metadata, ...(resolution.reason ? { reason: resolution.reason } : {}) },
    },
    postings.map(({ accountId, direction, amount, currency }) => ({ accountId, direction, amount, currency })),
  );
  return settled;
}
