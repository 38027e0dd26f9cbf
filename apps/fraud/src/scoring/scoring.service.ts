import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, FraudDecisionV1, TransactionEventData } from '@tally/contracts';
import { enqueueEvent } from '@tally/messaging';
import { FRAUD_CONFIG, FraudConfig } from '../config/fraud.config';
import { ScoredTransaction } from '../rules/fraud-rule';
import { FRAUD_RULES } from '../rules/rule-registry';
import { RulesRepository } from '../rules/rules.repository';
import { decide, scoreTransaction } from './scoring-engine';
import { ProjectedUserHistory } from './user-history.repository';

@Injectable()
export class ScoringService {
  constructor(
    @Inject(FRAUD_CONFIG) private readonly config: FraudConfig,
    private readonly rules: RulesRepository,
  ) {}

  /**
   * Scores a pending debit from fraud's own projection, records the score (and a review case when
   * held), adds the debit to the projection and publishes the decision: all in the consumer's inbox
   * transaction, so a redelivered event is skipped and never scored twice.
   */
  async onPending(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    const tx = scoredTransaction(t, this.config.defaultTimeZone);
    const history = new ProjectedUserHistory(manager, t.userId, t.transactionId);
    const result = await scoreTransaction(tx, history, FRAUD_RULES, await this.rules.all(manager));
    const { decision, band } = decide(result.score, this.config.bands);

    await manager.query(`INSERT INTO fraud.scores (transaction_id, user_id, score, flags, decision, band, hits) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      t.transactionId,
      t.userId,
      result.score,
      result.flags,
      decision,
      band,
      JSON.stringify(result.hits),
    ]);
    if (decision === 'review') {
      await manager.query(
        `INSERT INTO fraud.review_cases (transaction_id, user_id, type, amount_minor, currency, payee, band, user_history, event_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          t.transactionId,
          t.userId,
          t.type,
          t.amountMinor,
          t.currency,
          tx.payee,
          band,
          JSON.stringify(await history.summary(tx.at, t.currency)),
          event.subject,
          tx.at,
        ],
      );
    }
    await manager.query(
      `INSERT INTO fraud.user_activity (transaction_id, user_id, amount_minor, currency, occurred_at, type, payee)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (transaction_id) DO NOTHING`,
      [t.transactionId, t.userId, t.amountMinor, t.currency, tx.at, t.type, tx.payee],
    );
    await enqueueEvent(manager, 'fraud', FraudDecisionV1, {
      source: 'fraud',
      subject: t.transactionId,
      key: event.subject,
      data: { transactionId: t.transactionId, decision, score: result.score, flags: result.flags },
    });
  }

  /**
   * Imported history was never held, so fraud never scored it: its debits join the projection as
   * they happened (occurredAt), completed, for the rules to measure later debits against.
   */
  private async learnImported(t: TransactionEventData, manager: EntityManager): Promise<void> {
    if (!IMPORTED_DEBITS.includes(t.type)) return;
    const tx = scoredTransaction(t, this.config.defaultTimeZone);
    await manager.query(
      `INSERT INTO fraud.user_activity (transaction_id, user_id, amount_minor, currency, occurred_at, type, payee, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'completed') ON CONFLICT (transaction_id) DO NOTHING`,
      [t.transactionId, t.userId, t.amountMinor, t.currency, t.occurredAt ?? tx.at, t.type, tx.payee],
    );
  }

  /**
   * The ledger posted or voided a debit: the projection keeps its status (voided debits leave the
   * average), and a review case still open is closed as expired (the hold timed out, or was settled
   * without a review). When the ledger settled the hold by itself (expiry, fraud's fail-open limit),
   * a case an admin decided meanwhile closes as expired too: that decision came too late to apply
   * (it stays in review_decisions).
   */
  async onSettled(event: EventEnvelope<TransactionEventData>, manager: EntityManager): Promise<void> {
    const t = event.data;
    if (t.imported === true) return this.learnImported(t, manager);
    const status = t.status === 'completed' ? 'completed' : 'voided';
    await manager.query(`UPDATE fraud.user_activity SET status = $2 WHERE transaction_id = $1`, [t.transactionId, status]);
    const settledByLedger = t.reason === 'expired' || t.reason === 'fraud_fail_open';
    await manager.query(
      `UPDATE fraud.review_cases SET status = 'expired', closed_at = now()
        WHERE transaction_id = $1 AND (status = 'open' OR ($2 AND status <> 'expired'))`,
      [t.transactionId, settledByLedger],
    );
  }
}

const IMPORTED_DEBITS = ['transfer_out', 'purchase', 'withdrawal'];

/** What the rules see of a pending event; events from before the scoring fields fall back to the defaults. */
export function scoredTransaction(t: TransactionEventData, defaultTimeZone: string): ScoredTransaction {
  return {
    transactionId: t.transactionId,
    userId: t.userId,
    type: t.type,
    amountMinor: BigInt(t.amountMinor),
    currency: t.currency,
    baseAmountMinor: t.baseAmountMinor ? BigInt(t.baseAmountMinor) : null,
    baseCurrency: t.baseCurrency ?? null,
    payee: t.merchantName ?? t.counterpartyWalletNumber ?? null,
    timeZone: t.timeZone ?? defaultTimeZone,
    at: new Date(t.createdAt),
  };
}
