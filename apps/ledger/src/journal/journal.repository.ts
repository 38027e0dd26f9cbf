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
  async append(manager: EntityManager, entry: EntryInput, postings: PostingInput[]): Promise<string> {
    assertBalanced(postings);
    const id = uuidv7();
    await manager.query(
      `INSERT INTO ledger.journal_entries (id, transaction_id, kind, phase, pending_entry_id, description, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, entry.transactionId, entry.kind, entry.phase, entry.pendingEntryId ?? null, entry.description ?? null, entry.metadata ?? {}],
    );
    // Sorted by account so balance rows are touched in the same order as lockBalances.
    const sorted = [...postings].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
    const values: unknown[] = [];
    const tuples = sorted.map((p, i) => {
      values.push(id, p.accountId, entry.phase, p.direction, p.amount.toString(), p.currency);
      const o = i * 6;
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6})`;
    });
    await manager.query(
      `INSERT INTO ledger.postings (entry_id, account_id, phase, direction, amount, currency) VALUES ${tuples.join(', ')}`,
      values,
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
