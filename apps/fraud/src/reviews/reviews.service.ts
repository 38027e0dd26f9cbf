import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, DecideReviewPayload, DomainError, FraudDecisionV1, ListReviewsQuery, ReviewCaseView, ReviewDecisionView, RuleHitView } from '@tally/contracts';
import { enqueueEvent, Messaging, recordAdminAction, requestOrigin } from '@tally/messaging';
import { formatAmount } from '@tally/money';

const STATUSES = ['open', 'approved', 'rejected', 'expired'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CaseRow {
  transaction_id: string;
  user_id: string;
  type: string;
  amount_minor: string;
  currency: string;
  payee: string | null;
  band: string;
  status: string;
  user_history: Record<string, unknown>;
  event_key: string;
  created_at: Date;
  score: number;
  flags: string[];
  hits: RuleHitView[];
  decision: 'approve' | 'reject' | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
}

const CASE_SELECT = `
  SELECT c.*, trim(c.currency) AS currency, c.amount_minor::text AS amount_minor, s.score, s.flags, s.hits,
         d.decision, d.reason, d.decided_by, d.decided_at
    FROM fraud.review_cases c
    JOIN fraud.scores s ON s.transaction_id = c.transaction_id
    LEFT JOIN fraud.review_decisions d ON d.transaction_id = c.transaction_id`;

/**
 * The review queue: held transactions with the evidence (rules hit, the user's history when
 * scored). An admin's approve or reject (never on a transaction of their own: four eyes) is recorded with who, when and why (append-only) and
 * published as a fraud decision; the ledger then posts or voids the hold. Cases nobody decides
 * close as expired when the ledger voids the hold at its timeout.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: Messaging,
  ) {}

  /** High-risk cases first, then oldest first. */
  async list(query: ListReviewsQuery): Promise<{ items: ReviewCaseView[]; total: number; limit: number; offset: number }> {
    const status = query.status ?? 'open';
    if (!STATUSES.includes(status)) throw new DomainError('VALIDATION_FAILED', `status must be one of ${STATUSES.join(', ')}`);
    const limit = Number(query.limit ?? 50);
    const offset = Number(query.offset ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new DomainError('VALIDATION_FAILED', 'limit must be from 1 to 100');
    if (!Number.isInteger(offset) || offset < 0) throw new DomainError('VALIDATION_FAILED', 'offset must be 0 or more');
    const rows: CaseRow[] = await this.dataSource.query(
      `${CASE_SELECT} WHERE c.status = $1 ORDER BY (c.band = 'high_risk') DESC, c.created_at, c.transaction_id LIMIT $2 OFFSET $3`,
      [status, limit, offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM fraud.review_cases WHERE status = $1`, [status]);
    return { items: rows.map(toView), total, limit, offset };
  }

  async decide(actor: Actor, payload: DecideReviewPayload): Promise<ReviewDecisionView> {
    const { transactionId, decision } = payload;
    const reason = typeof payload.reason === 'string' ? payload.reason.trim() : '';
    if (typeof transactionId !== 'string' || !UUID.test(transactionId)) throw new DomainError('VALIDATION_FAILED', 'transactionId must be a UUID');
    if (decision !== 'approve' && decision !== 'reject') throw new DomainError('VALIDATION_FAILED', 'decision must be approve or reject');
    if (reason.length === 0 || reason.length > 500) throw new DomainError('VALIDATION_FAILED', 'reason must be 1 to 500 characters');
    const view = await this.dataSource.transaction(async (manager) => {
      const c = await this.lockCase(manager, transactionId);
      if (!c) throw new DomainError('NOT_FOUND', 'No review case for this transaction');
      // Four eyes: whoever initiated the transaction never decides its review, whatever their roles.
      if (c.user_id === actor.userId) {
        throw new DomainError('FORBIDDEN', 'A review case of your own transaction must be decided by another admin', { reason: 'OWN_TRANSACTION' });
      }
      if (c.status !== 'open') return this.alreadyDecided(manager, actor, transactionId, decision, reason, c.status);
      const [d] = await manager.query(
        `INSERT INTO fraud.review_decisions (transaction_id, decision, reason, decided_by) VALUES ($1, $2, $3, $4) RETURNING decided_at`,
        [transactionId, decision, reason, actor.userId],
      );
      await manager.query(`UPDATE fraud.review_cases SET status = $2, closed_at = $3 WHERE transaction_id = $1`, [
        transactionId,
        decision === 'approve' ? 'approved' : 'rejected',
        d.decided_at,
      ]);
      await enqueueEvent(manager, 'fraud', FraudDecisionV1, {
        source: 'fraud',
        subject: transactionId,
        key: c.event_key,
        data: { transactionId, decision, score: c.score, flags: c.flags, reason },
      });
      await recordAdminAction(manager, 'fraud', {
        actorId: actor.userId,
        action: decision === 'approve' ? 'fraud.review.approved' : 'fraud.review.rejected',
        targetType: 'transaction',
        targetId: transactionId,
        subjectUserId: c.user_id,
        reason,
        origin: requestOrigin(payload),
        details: { score: c.score, flags: c.flags },
      });
      return { transactionId, decision, reason, decidedBy: actor.userId, decidedAt: new Date(d.decided_at).toISOString() };
    });
    this.messaging.published();
    return view;
  }

  /** The same admin repeating the same decision gets it again (a retried request); anything else is a conflict. */
  private async alreadyDecided(
    manager: EntityManager,
    actor: Actor,
    transactionId: string,
    decision: string,
    reason: string,
    status: string,
  ): Promise<ReviewDecisionView> {
    const [d] = await manager.query(`SELECT decision, reason, decided_by, decided_at FROM fraud.review_decisions WHERE transaction_id = $1`, [transactionId]);
    if (d && d.decision === decision && d.reason === reason && d.decided_by === actor.userId) {
      return { transactionId, decision: d.decision, reason: d.reason, decidedBy: d.decided_by, decidedAt: new Date(d.decided_at).toISOString() };
    }
    throw new DomainError('CONFLICT', `The review case is already ${status}`, { status });
  }

  private async lockCase(
    manager: EntityManager,
    transactionId: string,
  ): Promise<{ status: string; user_id: string; score: number; flags: string[]; event_key: string } | undefined> {
    const [row] = await manager.query(
      `SELECT c.status, c.user_id, c.event_key, s.score, s.flags FROM fraud.review_cases c JOIN fraud.scores s ON s.transaction_id = c.transaction_id
        WHERE c.transaction_id = $1 FOR UPDATE OF c`,
      [transactionId],
    );
    return row;
  }
}

function toView(row: CaseRow): ReviewCaseView {
  const view: ReviewCaseView = {
    transactionId: row.transaction_id,
    userId: row.user_id,
    type: row.type,
    amount: formatAmount(BigInt(row.amount_minor), row.currency),
    currency: row.currency,
    merchantName: row.payee,
    score: row.score,
    flags: row.flags,
    band: row.band,
    status: row.status,
    rulesHit: row.hits,
    userHistory: row.user_history,
    createdAt: new Date(row.created_at).toISOString(),
  };
  if (row.decision && row.reason && row.decided_by && row.decided_at) {
    view.decision = {
      transactionId: row.transaction_id,
      decision: row.decision,
      reason: row.reason,
      decidedBy: row.decided_by,
      decidedAt: new Date(row.decided_at).toISOString(),
    };
  }
  return view;
}
