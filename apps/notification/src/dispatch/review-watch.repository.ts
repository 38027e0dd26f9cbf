import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TransactionEventData } from '@tally/contracts';

/**
 * Joins ledger's transaction.pending (whose, what) with fraud's review decision (whether), which
 * arrive on two topics in either order. Each side upserts its half; the one that completes the pair
 * answers the transaction to notify about, once (the row lock orders concurrent upserts).
 */
@Injectable()
export class ReviewWatchRepository {
  async pending(manager: EntityManager, t: TransactionEventData): Promise<TransactionEventData | undefined> {
    const rows: { transaction: TransactionEventData; in_review: boolean; notified: boolean }[] = await manager.query(
      `INSERT INTO notification.review_watch (transaction_id, user_id, transaction) VALUES ($1, $2, $3)
       ON CONFLICT (transaction_id) DO UPDATE SET user_id = EXCLUDED.user_id, transaction = EXCLUDED.transaction
       RETURNING transaction, in_review, notified`,
      [t.transactionId, t.userId, JSON.stringify(t)],
    );
    return this.claimIfReady(manager, t.transactionId, rows[0]);
  }

  async inReview(manager: EntityManager, transactionId: string): Promise<TransactionEventData | undefined> {
    const rows: { transaction: TransactionEventData | null; in_review: boolean; notified: boolean }[] = await manager.query(
      `INSERT INTO notification.review_watch (transaction_id, in_review) VALUES ($1, true)
       ON CONFLICT (transaction_id) DO UPDATE SET in_review = true
       RETURNING transaction, in_review, notified`,
      [transactionId],
    );
    return this.claimIfReady(manager, transactionId, rows[0]);
  }

  /** Settled (posted or voided): nothing left to watch. */
  async forget(manager: EntityManager, transactionId: string): Promise<void> {
    await manager.query(`DELETE FROM notification.review_watch WHERE transaction_id = $1`, [transactionId]);
  }

  private async claimIfReady(
    manager: EntityManager,
    transactionId: string,
    row: { transaction: TransactionEventData | null; in_review: boolean; notified: boolean },
  ): Promise<TransactionEventData | undefined> {
    if (!row.transaction || !row.in_review || row.notified) return undefined;
    await manager.query(`UPDATE notification.review_watch SET notified = true WHERE transaction_id = $1`, [transactionId]);
    return row.transaction;
  }
}
