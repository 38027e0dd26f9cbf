import { EntityManager } from 'typeorm';
import { TransactionRow } from '../transactions/transactions.repository';
import { OriginalPosting } from './refund-amounts';

/**
 * The entry that moved a completed transaction's money, with its postings: its held entry when it
 * went through two phases (the post_pending entry repeats those postings), else its posted entry.
 * Refunds and reversals are built from it.
 */
export async function originalEntry(manager: EntityManager, tx: TransactionRow): Promise<{ entryId: string; postings: OriginalPosting[] }> {
  const rows: { entry_id: string; account_id: string; code: string; direction: 'D' | 'C'; amount: string; currency: string }[] = await manager.query(
    `SELECT p.entry_id, p.account_id, a.code, p.direction, p.amount, p.currency
       FROM ledger.postings p JOIN ledger.accounts a ON a.id = p.account_id
      WHERE p.entry_id = coalesce($2::uuid, (
              SELECT id FROM ledger.journal_entries
               WHERE transaction_id = $1 AND phase = 'posted' AND kind <> 'reversal'
               ORDER BY created_at LIMIT 1))
      ORDER BY p.id`,
    [tx.id, tx.pending_entry_id],
  );
  if (rows.length === 0) throw new Error(`no journal entry found for transaction ${tx.id}`);
  return {
    entryId: rows[0].entry_id,
    postings: rows.map((r) => ({ accountId: r.account_id, accountCode: r.code, direction: r.direction, amount: BigInt(r.amount), currency: r.currency })),
  };
}
