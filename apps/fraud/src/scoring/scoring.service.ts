import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, FraudDecisionV1, TransactionEventData } from '@tally/contracts';
import { enqueueEvent } from '@tally/messaging';
import { minorDigits } from '@tally/money';
import { FRAUD_CONFIG, FraudConfig } from '../config/fraud.config';
import { decide, scoreTransaction } from './scoring-rules';

@Injectable()
export class ScoringService {
  constructor(@Inject(FRAUD_CONFIG) private readonly config: FraudConfig) {}

  /** Scores a pending debit and publishes the decision, in the consumer's inbox transaction. */
  async onPending(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    const recent: { count: string }[] = await manager.query(
      `SELECT count(*) AS count FROM fraud.user_activity WHERE user_id = $1 AND occurred_at > $2::timestamptz - interval '10 minutes'`,
      [t.userId, t.createdAt],
    );
    await manager.query(
      `INSERT INTO fraud.user_activity (transaction_id, user_id, amount_minor, currency, occurred_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (transaction_id) DO NOTHING`,
      [t.transactionId, t.userId, t.amountMinor, t.currency, t.createdAt],
    );
    const { score, flags } = scoreTransaction({
      amountMinor: BigInt(t.amountMinor),
      countLast10Minutes: Number(recent[0].count),
      highValueMinor: 10_000n * 10n ** BigInt(minorDigits(t.currency)),
    });
    const decision = decide(score, this.config.reviewThreshold);
    await manager.query(
      `INSERT INTO fraud.scores (transaction_id, user_id, score, flags, decision) VALUES ($1, $2, $3, $4, $5)`,
      [t.transactionId, t.userId, score, flags, decision],
    );
    await enqueueEvent(manager, 'fraud', FraudDecisionV1, {
      source: 'fraud',
      subject: t.transactionId,
      key: event.subject,
      data: { transactionId: t.transactionId, decision, score, flags },
    });
  }
}
