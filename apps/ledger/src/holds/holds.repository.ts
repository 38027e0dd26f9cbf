import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TransactionRow } from '../transactions/transactions.repository';

@Injectable()
export class HoldsRepository {
  /**
   * Up to `limit` held transactions created before `olderThan`, oldest first, `after` the last one
   * of the previous page. Read without locks: each is resolved by a kernel command that locks it and
   * checks it is still pending. Only the primary row of a transfer is taken; settling it settles the
   * receiver's row too.
   */
  async expired(manager: EntityManager, olderThan: Date, limit: number, after?: { createdAt: Date; id: string }): Promise<TransactionRow[]> {
    return manager.query(
      `SELECT * FROM ledger.transactions
        WHERE status = 'pending' AND linked_transaction_id IS NULL AND pending_entry_id IS NOT NULL AND created_at < $1
          AND ($3::timestamptz IS NULL OR (created_at, id) > ($3, $4::uuid))
        ORDER BY created_at, id
        LIMIT $2`,
      [olderThan, limit, after?.createdAt ?? null, after?.id ?? null],
    );
  }

  /**
   * Up to `limit` held debits that fraud has not scored (no decision, not in review) created before
   * `olderThan`, whose amount in the base currency (kept on the pending entry for fraud) is at most
   * `maxMinor`. A debit with no base amount (no rate to the base) never qualifies. Read without
   * locks, like `expired`.
   */
  async unscoredSmall(
    manager: EntityManager,
    olderThan: Date,
    baseCurrency: string,
    maxMinor: bigint,
    limit: number,
    after?: { createdAt: Date; id: string },
  ): Promise<TransactionRow[]> {
    return manager.query(
      `SELECT t.* FROM ledger.transactions t JOIN ledger.journal_entries e ON e.id = t.pending_entry_id
        WHERE t.status = 'pending' AND t.linked_transaction_id IS NULL AND t.fraud_score IS NULL AND t.created_at < $1
          AND e.metadata->'scoring'->>'baseCurrency' = $2
          AND (e.metadata->'scoring'->>'baseAmountMinor')::numeric <= $3::numeric
          AND ($5::timestamptz IS NULL OR (t.created_at, t.id) > ($5, $6::uuid))
        ORDER BY t.created_at, t.id
        LIMIT $4`,
      [olderThan, baseCurrency, maxMinor.toString(), limit, after?.createdAt ?? null, after?.id ?? null],
    );
  }
}
