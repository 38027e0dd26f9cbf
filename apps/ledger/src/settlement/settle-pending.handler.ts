import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, FraudDecisionV1, TransactionPostedV1, TransactionVoidedV1 } from '@tally/contracts';
import { enqueueEvent } from '@tally/messaging';
import { AccountsRepository } from '../accounts/accounts.repository';
import { JournalRepository } from '../journal/journal.repository';
import { toTransactionEvent } from '../transactions/transaction-view';
import { TransactionsRepository } from '../transactions/transactions.repository';

/**
 * Applies fraud's decision to a pending transaction: approve posts the held entry, reject voids
 * it, review leaves it held and records the score. Runs inside the consumer's inbox transaction.
 */
@Injectable()
export class SettlePendingHandler {
  private readonly logger = new Logger(SettlePendingHandler.name);

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionsRepository,
  ) {}

  async onDecision(event: EventEnvelope<FraudDecisionV1>, manager: EntityManager): Promise<void> {
    const decision = event.data;
    const tx = await this.transactions.lockById(manager, decision.transactionId);
    if (!tx || tx.status !== 'pending' || !tx.pending_entry_id) {
      this.logger.warn({ msg: 'decision for a transaction that is not pending', transactionId: decision.transactionId });
      return;
    }
    const fraud = { score: decision.score, flags: decision.flags };
    if (decision.decision === 'review') {
      await this.transactions.recordFraudScore(manager, tx.id, fraud);
      return;
    }
    const phase = decision.decision === 'approve' ? 'post_pending' : 'void_pending';
    const postings = await this.journal.postingsOf(manager, tx.pending_entry_id);
    await this.accounts.lockBalances(manager, postings.map((p) => p.accountId));
    await this.journal.append(
      manager,
      { transactionId: tx.id, kind: tx.type === 'transfer_out' ? 'transfer' : tx.type, phase, pendingEntryId: tx.pending_entry_id, metadata: { fraudScore: decision.score } },
      postings,
    );
    const settled = await this.transactions.settle(manager, tx.id, phase === 'post_pending' ? 'completed' : 'voided', fraud);
    await enqueueEvent(manager, 'ledger', phase === 'post_pending' ? TransactionPostedV1 : TransactionVoidedV1, {
      source: 'ledger',
      subject: postings.find((p) => p.direction === 'D')?.accountId ?? tx.wallet_id,
      data: toTransactionEvent(settled),
    });
  }
}
