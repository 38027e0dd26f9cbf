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
}
