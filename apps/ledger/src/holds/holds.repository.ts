import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TransactionRow } from '../transactions/transactions.repository';

@Injectable()
export class HoldsRepository {
  /**
   * Locks up to `limit` held transactions created before `olderThan`, oldest first. SKIP LOCKED: a
   * row that a fraud decision (or another ledger instance) is settling right now is left to it.
   * Only the primary row of a transfer is taken; settling it settles the receiver's row too.
   */
  async lockExpired(manager: EntityManager, olderThan: Date, limit: number): Promise<TransactionRow[]> {
    return manager.query(
      `SELECT * FROM ledger.transactions
        WHERE status = 'pending' AND linked_transaction_id IS NULL AND pending_entry_id IS NOT NULL AND created_at < $1
        ORDER BY created_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [olderThan, limit],
    );
  }

  /**
   * Locks up to `limit` held debits that fraud has not scored (no decision, not in review) created
   * before `olderThan`, whose amount in the base currency (kept on the pending entry for fraud) is at
   * most `maxMinor`. A debit with no base amount (no rate to the base) never qualifies.
   */
  async lockUnscoredSmall(manager: EntityManager, olderThan: Date, baseCurrency: string, maxMinor: bigint, limit: number): Promise<TransactionRow[]> {
    return manager.query(
      `SELECT t.* FROM ledger.transactions t JOIN ledger.journal_entries e ON e.id = t.pending_entry_id
        WHERE t.status = 'pending' AND t.linked_transaction_id IS NULL AND t.fraud_score IS NULL AND t.created_at < $1
          AND e.metadata->'scoring'->>'baseCurrency' = $2
          AND (e.metadata->'scoring'->>'baseAmountMinor')::numeric <= $3::numeric
        ORDER BY t.created_at
        LIMIT $4
        FOR UPDATE OF t SKIP LOCKED`,
      [olderThan, baseCurrency, maxMinor.toString(), limit],
    );
  }
}
