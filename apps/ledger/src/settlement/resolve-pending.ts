import { EntityManager } from 'typeorm';
import { TransactionPostedV1, TransactionVoidedV1, uuidv7 } from '@tally/contracts';
import { enqueueEvent } from '@tally/messaging';
import { JournalRepository } from '../journal/journal.repository';
import { ledgerEventId } from '../replay/ledger-event-id';
import { toTransactionEvent } from '../transactions/transaction-view';
import { TransactionRow, TransactionsRepository } from '../transactions/transactions.repository';

export interface PendingResolution {
  outcome: 'post' | 'void';
  /** Fraud's score and flags when fraud decided; left out, the row keeps what it has. */
  fraud?: { score: number; flags: string[] };
  /** Why, when it is not fraud's decision (e.g. 'expired'); recorded on the entry and the event. */
  reason?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Resolves a held (pending) entry once: posts it or voids it, settles the transaction rows (both
 * sides of a transfer) and announces it. The caller holds the lock on the transaction row and has
 * checked it is still pending; the unique index on journal_entries.pending_entry_id refuses a second
 * resolution of the same entry anyway. Fraud's decision and hold expiry both come through here.
 */
export async function resolvePendingEntry(
  manager: EntityManager,
  repos: { journal: JournalRepository; transactions: TransactionsRepository },
  tx: TransactionRow,
  resolution: PendingResolution,
): Promise<TransactionRow> {
  if (tx.status !== 'pending' || !tx.pending_entry_id) throw new Error(`transaction ${tx.id} is not pending`);
  const phase = resolution.outcome === 'post' ? 'post_pending' : 'void_pending';
  // Named up front: the event's id derives from it (a journal replay repeats that id).
  const entryId = uuidv7();
  const postings = await repos.journal.postingsOf(manager, tx.pending_entry_id);
  const fraud = resolution.fraud ?? { score: tx.fraud_score, flags: tx.fraud_flags };
  const settled = await repos.transactions.settle(manager, tx.id, resolution.outcome === 'post' ? 'completed' : 'voided', fraud);
  await enqueueEvent(manager, 'ledger', resolution.outcome === 'post' ? TransactionPostedV1 : TransactionVoidedV1, {
    id: ledgerEventId(entryId, resolution.outcome === 'post' ? TransactionPostedV1.type : TransactionVoidedV1.type),
    source: 'ledger',
    subject: postings.find((p) => p.direction === 'D')?.accountId ?? tx.wallet_id,
    data: resolution.reason ? { ...toTransactionEvent(settled), reason: resolution.reason } : toTransactionEvent(settled),
  });
  // Last write: the balance rows the postings touch stay locked only until COMMIT.
  await repos.journal.append(
    manager,
    {
      id: entryId,
      transactionId: tx.id,
      kind: tx.type === 'transfer_out' ? 'transfer' : tx.type,
      phase,
      pendingEntryId: tx.pending_entry_id,
      metadata: { ...resolution.metadata, ...(resolution.reason ? { reason: resolution.reason } : {}) },
    },
    postings,
  );
  return settled;
}
