import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { uuidv7 } from '@tally/contracts';

export type EntryPhase = 'posted' | 'pending' | 'post_pending' | 'void_pending';

export interface PostingInput {
  accountId: string;
  direction: 'D' | 'C';
  amount: bigint;
  currency: string;
}

export interface EntryInput {
  id?: string;
  transactionId: string;
  kind: string;
  phase: EntryPhase;
  pendingEntryId?: string;
  description?: string;
  metadata?: Record<string, unknown>;
}

/** Appends journal entries. Rows are never updated or deleted (the database refuses it). */
@Injectable()
export class JournalRepository {
  /**
   * Writes the entry and its postings in one statement (one round trip). The balance rows the
   * postings touch are locked from here to COMMIT, so callers append as their last write: a hot
   * account (fee revenue, a busy merchant) is then held for the shortest time.
   * Give `entry.id` to reference the entry from rows written before it (those foreign keys are
   * checked at commit).
   */
  async append(manager: EntityManager, entry: EntryInput, postings: PostingInput[]): Promise<string> {
    assertBalanced(postings);
    const id = entry.id ?? uuidv7();
    // Sorted by account so every writer touches balance rows in the same order and none deadlock.
    const sorted = [...postings].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
    await manager.query(
      `WITH entry AS (
         INSERT INTO ledger.journal_entries (id, transaction_id, kind, phase, pending_entry_id, description, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7))
       INSERT INTO ledger.postings (entry_id, account_id, phase, direction, amount, currency)
       SELECT $1, p.account_id, $4, p.direction, p.amount, p.currency
         FROM unnest($8::uuid[], $9::char(1)[], $10::bigint[], $11::char(3)[]) WITH ORDINALITY AS p (account_id, direction, amount, currency, n)
        ORDER BY p.n`,
      [
        id,
        entry.transactionId,
        entry.kind,
        entry.phase,
        entry.pendingEntryId ?? null,
        entry.description ?? null,
        entry.metadata ?? {},
        sorted.map((p) => p.accountId),
        sorted.map((p) => p.direction),
        sorted.map((p) => p.amount.toString()),
        sorted.map((p) => p.currency),
      ],
    );
    return id;
  }

  async postingsOf(manager: EntityManager, entryId: string): Promise<PostingInput[]> {
    const rows: { account_id: string; direction: 'D' | 'C'; amount: string; currency: string }[] = await manager.query(
      `SELECT account_id, direction, amount, currency FROM ledger.postings WHERE entry_id = $1 ORDER BY id`,
      [entryId],
    );
    return rows.map((r) => ({ accountId: r.account_id, direction: r.direction, amount: BigInt(r.amount), currency: r.currency }));
  }
}

/** The same rule the database enforces at commit, checked early for a clear error. */
export function assertBalanced(postings: PostingInput[]): void {
  if (postings.length === 0) throw new Error('a journal entry needs postings');
  const sums = new Map<string, bigint>();
  for (const p of postings) {
    if (p.amount <= 0n) throw new Error('posting amounts must be positive');
    sums.set(p.currency, (sums.get(p.currency) ?? 0n) + (p.direction === 'D' ? p.amount : -p.amount));
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0n) throw new Error(`journal entry does not balance in ${currency}`);
  }
}
