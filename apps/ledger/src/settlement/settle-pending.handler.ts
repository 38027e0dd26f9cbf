import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, FraudDecisionV1 } from '@tally/contracts';
import { JournalRepository } from '../journal/journal.repository';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { resolvePendingEntry } from './resolve-pending';

/**
 * Applies fraud's decision to a pending transaction: approve posts the held entry, reject voids
 * it, review leaves it held and records the score. Runs inside the consumer's inbox transaction.
 * A decision that arrives after the hold was resolved (expired, or decided before) changes nothing.
 */
@Injectable()
export class SettlePendingHandler {
  private readonly logger = new Logger(SettlePendingHandler.name);

  constructor(
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionsRepository,
  ) {}

  async onDecision(event: EventEnvelope<FraudDecisionV1>, manager: EntityManager): Promise<void> {
    const decision = event.data;
    const tx = await this.transactions.lockById(manager, decision.transactionId);
    if (!tx || tx.status !== 'pending' || !tx.pending_entry_id) {
      this.logger.warn({ msg: 'decision for a transaction that is not pending', transactionId: decision.transactionId, status: tx?.status });
      return;
    }
    const fraud = { score: decision.score, flags: decision.flags };
    if (decision.decision === 'review') {
      await this.transactions.recordFraudScore(manager, tx.id, fraud);
      return;
    }
    await resolvePendingEntry(manager, { journal: this.journal, transactions: this.transactions }, tx, {
      outcome: decision.decision === 'approve' ? 'post' : 'void',
      fraud,
      metadata: { fraudScore: decision.score },
    });
  }
}
