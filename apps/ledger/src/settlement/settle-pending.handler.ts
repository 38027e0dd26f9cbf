import { Injectable, Logger } from '@nestjs/common';
import { EventEnvelope, FraudDecisionV1, Topics } from '@tally/contracts';
import { PostingKernel } from '../posting/posting-kernel';
import { PendingResolution, resolvePending } from './resolve-pending';

export type SettleOutcome = 'posted' | 'voided' | 'reviewed' | 'ignored' | 'duplicate';

/**
 * Applies fraud's decision to a pending transaction: approve posts the held entry, reject voids
 * it, review leaves it held and records the score. Each decision is a command of the posting
 * kernel, applied once (its event id is claimed in the ledger's inbox in the same batch). A decision
 * that arrives after the hold was resolved (expired, or decided before) changes nothing.
 */
@Injectable()
export class SettlePendingHandler {
  private readonly logger = new Logger(SettlePendingHandler.name);

  constructor(private readonly kernel: PostingKernel) {}

  onDecision(event: EventEnvelope<FraudDecisionV1>, topic: string = Topics.fraudDecisions): Promise<SettleOutcome> {
    const decision = event.data;
    return this.kernel.submit<SettleOutcome>({
      kind: 'settle',
      needs: { inbox: { id: event.id, topic, type: event.type }, transactions: [decision.transactionId] },
      duplicate: () => 'duplicate',
      decide: (ctx) => {
        const tx = ctx.state.transaction(decision.transactionId);
        if (!tx || tx.status !== 'pending' || !tx.pending_entry_id) {
          this.logger.warn({ msg: 'decision for a transaction that is not pending', transactionId: decision.transactionId, status: tx?.status });
          return 'ignored';
        }
        const fraud = { score: decision.score, flags: decision.flags };
        if (decision.decision === 'review') {
          ctx.writes.scored.push({ id: tx.id, fraudScore: fraud.score, fraudFlags: fraud.flags });
          return 'reviewed';
        }
        resolvePending(ctx, tx, { outcome: decision.decision === 'approve' ? 'post' : 'void', fraud, metadata: { fraudScore: decision.score } });
        return decision.decision === 'approve' ? 'posted' : 'voided';
      },
    });
  }

  /**
   * The ledger's own resolution of a hold (expiry, fraud's fail-open), when it is still pending
   * and, if `unscored`, fraud has not scored it meanwhile.
   */
  resolveHold(transactionId: string, resolution: PendingResolution & { unscoredOnly?: boolean }): Promise<SettleOutcome> {
    return this.kernel.submit<SettleOutcome>({
      kind: resolution.reason ?? 'resolve_hold',
      needs: { transactions: [transactionId] },
      decide: (ctx) => {
        const tx = ctx.state.transaction(transactionId);
        if (!tx || tx.status !== 'pending' || !tx.pending_entry_id) return 'ignored';
        if (resolution.unscoredOnly && tx.fraud_score !== null) return 'ignored';
        resolvePending(ctx, tx, { ...resolution, metadata: { heldSince: new Date(tx.created_at).toISOString(), ...resolution.metadata } });
        return resolution.outcome === 'post' ? 'posted' : 'voided';
      },
    });
  }
}
