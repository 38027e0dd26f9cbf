import { DataSource } from 'typeorm';
import { Actor, DomainError, EventEnvelope, TransactionEventData, uuidv7 } from '@tally/contracts';
import { openServiceDatabase } from '@tally/database';
import { Messaging } from '@tally/messaging';
import { recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { FRAUD_MIGRATIONS } from '../app.module';
import { FraudConfig } from '../config/fraud.config';
import { ReviewsService } from '../reviews/reviews.service';
import { RulesRepository } from '../rules/rules.repository';
import { RulesService } from '../rules/rules.service';
import { ScoringService } from './scoring.service';

const URL = process.env.TEST_FRAUD_DATABASE_URL ?? testDatabaseUrl('fraud_int_scoring');

/**
 * Fraud's tables on the real Postgres: the projection the rules query, the score with its evidence,
 * the review case, expiry when the ledger voids the hold, the audited admin decision and rule edits.
 * Events are handed to the service as its consumer would (inside one transaction each).
 */
describe('fraud scoring, projection and reviews (Postgres)', () => {
  let db: DataSource;
  let scoring: ScoringService;
  let reviews: ReviewsService;
  let rules: RulesService;
  const admin: Actor = { userId: uuidv7(), roles: ['user', 'admin'] };
  const config = { bands: { review: 60, highRisk: 80, reject: null }, defaultTimeZone: 'UTC' } as unknown as FraudConfig;
  /** Noon in Kuala Lumpur: off hours stays out of these scores. */
  const start = new Date('2026-03-10T04:00:00.000Z');

  beforeAll(async () => {
    await recreateDatabase(URL);
    db = await openServiceDatabase({ url: URL, schema: 'fraud', applicationName: 'fraud-int-spec', migrations: FRAUD_MIGRATIONS });
    const repository = new RulesRepository();
    // The relay nudge only; the outbox rows themselves are what this spec reads.
    const messaging = { published: () => undefined } as unknown as Messaging;
    rules = new RulesService(db, repository, messaging);
    await rules.onModuleInit();
    scoring = new ScoringService(config, repository);
    reviews = new ReviewsService(db, messaging);
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
  });

  /** admin.action events written to fraud's outbox about one target, oldest first. */
  async function adminActions(targetId: string): Promise<Record<string, unknown>[]> {
    const rows = await db.query(
      `SELECT payload->'data' AS data FROM fraud.outbox WHERE payload->>'type' = 'admin.action' AND topic = 'audit.events' AND payload->'data'->>'targetId' = $1 ORDER BY seq`,
      [targetId],
    );
    return rows.map((r: { data: Record<string, unknown> }) => r.data);
  }

  function pending(userId: string, amountMinor: string, minutesIn: number, merchantName: string): EventEnvelope<TransactionEventData> {
    const transactionId = uuidv7();
    return {
      id: uuidv7(),
      type: 'transaction.pending',
      version: 1,
      source: 'ledger',
      subject: uuidv7(),
      occurredAt: start.toISOString(),
      data: {
        transactionId,
        reference: `TXN-${transactionId.slice(-6)}`,
        type: 'purchase',
        status: 'pending',
        walletId: uuidv7(),
        userId,
        amountMinor,
        feeMinor: '0',
        currency: 'USD',
        merchantName,
        merchantCategory: 'shopping',
        createdAt: new Date(start.getTime() + minutesIn * 60_000).toISOString(),
        timeZone: 'Asia/Kuala_Lumpur',
        baseCurrency: 'MYR',
        baseAmountMinor: String((BigInt(amountMinor) * 47n) / 10n),
      },
    };
  }

  const score = (e: EventEnvelope<TransactionEventData>) => db.transaction((m) => scoring.onPending(e, m));

  /** Six debits of 10.00 within six minutes, then 2,200.00 (10,340 MYR, 220 × the average): velocity + unusual + high value = 60, held. */
  async function heldAfterSix(userId: string): Promise<EventEnvelope<TransactionEventData>> {
    for (let i = 0; i < 6; i++) await score(pending(userId, '1000', i, `Shop ${i}`));
    const big = pending(userId, '220000', 7, 'Big');
    await score(big);
    return big;
  }
  const settle = (e: EventEnvelope<TransactionEventData>, status: string, reason?: string) =>
    db.transaction((m) =>
      scoring.onSettled(
        { ...e, id: uuidv7(), type: status === 'completed' ? 'transaction.posted' : 'transaction.voided', data: { ...e.data, status, reason } },
        m,
      ),
    );
  const decisionEvents = async (transactionId: string) =>
    (
      await db.query(
        `SELECT payload->'data' AS data FROM fraud.outbox WHERE payload->>'type' = 'fraud.decision' AND payload->'data'->>'transactionId' = $1 ORDER BY created_at`,
        [transactionId],
      )
    ).map((r: { data: unknown }) => r.data);

  it('scores from the projection: six small debits approved, a seventh far above average and high value held with evidence', async () => {
    const userId = uuidv7();
    const small = [1000, 1100, 1200, 1300, 1400, 1500].map((a, i) => pending(userId, String(a), i, `Cafe ${i}`));
    for (const e of small) {
      await score(e);
      await settle(e, 'completed');
    }
    const big = pending(userId, '220000', 7, 'Electronics');
    await score(big);

    const [row] = await db.query(`SELECT score, flags, decision, band, hits FROM fraud.scores WHERE transaction_id = $1`, [big.data.transactionId]);
    expect(row).toMatchObject({ score: 60, flags: ['HIGH_VELOCITY', 'UNUSUAL_AMOUNT', 'HIGH_VALUE'], decision: 'review', band: 'review' });
    expect(row.hits[1].evidence).toMatchObject({ earlierDebits: 6, averageMinor: '1250', multiplier: '3' });
    expect(await decisionEvents(big.data.transactionId)).toEqual([{ transactionId: big.data.transactionId, decision: 'review', score: 60, flags: row.flags }]);
    const sixth = await decisionEvents(small[5].data.transactionId);
    expect(sixth).toEqual([expect.objectContaining({ decision: 'approve', score: 20, flags: ['HIGH_VELOCITY'] })]);

    const queue = await reviews.list({});
    const item = queue.items.find((c) => c.transactionId === big.data.transactionId);
    expect(item).toMatchObject({ amount: '2200.00', currency: 'USD', merchantName: 'Electronics', status: 'open', band: 'review' });
    expect(item?.userHistory).toMatchObject({
      debits: { last10Minutes: 6, lastHour: 6, last24Hours: 6, last30Days: 6, voided30Days: 0 },
      average30DaysMinor: '1250',
      averageCurrency: 'USD',
    });
    expect((item?.userHistory.lastTransactions as { payee: string }[]).map((t) => t.payee)).toEqual(['Cafe 5', 'Cafe 4', 'Cafe 3', 'Cafe 2', 'Cafe 1']);
  });

  it('a hold the ledger voids at its timeout closes its case as expired; a decision on it is a conflict', async () => {
    const userId = uuidv7();
    const big = await heldAfterSix(userId);
    expect((await reviews.list({})).items.map((c) => c.transactionId)).toContain(big.data.transactionId);
    await settle(big, 'voided');
    expect((await reviews.list({ status: 'expired' })).items.map((c) => c.transactionId)).toContain(big.data.transactionId);
    await expect(reviews.decide(admin, { transactionId: big.data.transactionId, decision: 'approve', reason: 'late' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // A voided debit leaves the average: the next one is measured against the six 10.00 debits alone.
    const again = pending(userId, '220000', 8, 'C');
    await score(again);
    const [row] = await db.query(`SELECT hits FROM fraud.scores WHERE transaction_id = $1`, [again.data.transactionId]);
    expect(row.hits.find((h: { rule: string }) => h.rule === 'unusual_amount').evidence).toMatchObject({ earlierDebits: 6, averageMinor: '1000' });
  });

  it('an approval that lost the race with the hold expiry closes its case as expired; the decision stays recorded', async () => {
    const late = await heldAfterSix(uuidv7());
    const id = late.data.transactionId;
    await reviews.decide(admin, { transactionId: id, decision: 'approve', reason: 'looks fine' });
    expect((await reviews.list({ status: 'approved' })).items.map((c) => c.transactionId)).toContain(id);
    // The ledger had already voided it at its timeout, so the approval moved nothing.
    await settle(late, 'voided', 'expired');
    expect((await reviews.list({ status: 'expired' })).items.map((c) => c.transactionId)).toContain(id);
    expect(await db.query(`SELECT decision FROM fraud.review_decisions WHERE transaction_id = $1`, [id])).toEqual([{ decision: 'approve' }]);
    // A decision the ledger applied keeps its status.
    const applied = await heldAfterSix(uuidv7());
    await reviews.decide(admin, { transactionId: applied.data.transactionId, decision: 'reject', reason: 'stolen card' });
    await settle(applied, 'voided');
    expect((await reviews.list({ status: 'rejected' })).items.map((c) => c.transactionId)).toContain(applied.data.transactionId);
  });

  it('four eyes: an admin cannot decide the review of their own transaction (403, nothing recorded); another admin can', async () => {
    const ownerId = uuidv7();
    const id = (await heldAfterSix(ownerId)).data.transactionId;
    const self = { ...admin, userId: ownerId };
    for (const decision of ['approve', 'reject'] as const) {
      await expect(reviews.decide(self, { transactionId: id, decision, reason: 'mine, fine' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        details: { reason: 'OWN_TRANSACTION' },
      });
    }
    expect(await db.query(`SELECT 1 FROM fraud.review_decisions WHERE transaction_id = $1`, [id])).toEqual([]);
    expect((await reviews.list({})).items.map((c) => c.transactionId)).toContain(id);
    expect(await reviews.decide(admin, { transactionId: id, decision: 'approve', reason: 'checked by a colleague' })).toMatchObject({
      decidedBy: admin.userId,
    });
  });

  it('an admin decision is recorded once with who, when and why, and published with the reason', async () => {
    const id = (await heldAfterSix(uuidv7())).data.transactionId;
    const decided = await reviews.decide(admin, {
      transactionId: id,
      decision: 'reject',
      reason: ' stolen card ',
      ip: '203.0.113.9',
      userAgent: 'console',
    } as never);
    expect(decided).toMatchObject({ transactionId: id, decision: 'reject', reason: 'stolen card', decidedBy: admin.userId });
    expect(await reviews.decide(admin, { transactionId: id, decision: 'reject', reason: 'stolen card' })).toEqual(decided);
    await expect(reviews.decide(admin, { transactionId: id, decision: 'approve', reason: 'oops' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(reviews.decide({ ...admin, userId: uuidv7() }, { transactionId: id, decision: 'reject', reason: 'stolen card' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await decisionEvents(id)).map((d: { decision: string; reason?: string }) => [d.decision, d.reason ?? null])).toEqual([
      ['review', null],
      ['reject', 'stolen card'],
    ]);
    await expect(db.query(`UPDATE fraud.review_decisions SET reason = 'x' WHERE transaction_id = $1`, [id])).rejects.toThrow(/append-only/);
    // The audit log hears of it once (the repeat changed nothing), with who, from where and why.
    expect(await adminActions(id)).toEqual([
      expect.objectContaining({
        actorId: admin.userId,
        action: 'fraud.review.rejected',
        targetType: 'transaction',
        reason: 'stolen card',
        ip: '203.0.113.9',
        userAgent: 'console',
      }),
    ]);
    await expect(reviews.decide(admin, { transactionId: uuidv7(), decision: 'approve', reason: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reviews.decide(admin, { transactionId: id, decision: 'approve', reason: '  ' })).rejects.toBeInstanceOf(DomainError);
  });

  it('rule edits are checked per rule, applied to the next score and recorded', async () => {
    await expect(rules.update(admin, { code: 'off_hours', parameters: { startHour: 30 } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(rules.update(admin, { code: 'nope', weight: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Off hours from 11:00 to 13:00: noon in Kuala Lumpur is now off hours.
    const updated = await rules.update(admin, { code: 'off_hours', weight: 35, parameters: { startHour: 11, endHour: 13 } });
    expect(updated).toMatchObject({ weight: 35, parameters: { startHour: 11, endHour: 13 }, updatedBy: admin.userId });
    try {
      const e = pending(uuidv7(), '1000', 0, 'A');
      await score(e);
      const [row] = await db.query(`SELECT score, flags FROM fraud.scores WHERE transaction_id = $1`, [e.data.transactionId]);
      expect(row).toEqual({ score: 35, flags: ['OFF_HOURS'] });
      const changes = await db.query(`SELECT weight, changed_by FROM fraud.rule_changes WHERE code = 'off_hours' ORDER BY id`);
      expect(changes).toEqual([{ weight: 35, changed_by: admin.userId }]);
      expect(await adminActions('off_hours')).toEqual([
        expect.objectContaining({
          action: 'fraud.rule.updated',
          details: { before: expect.objectContaining({ weight: 20 }), after: expect.objectContaining({ weight: 35 }) },
        }),
      ]);
    } finally {
      await rules.update(admin, { code: 'off_hours', weight: 20, parameters: { startHour: 23, endHour: 5 } });
    }
  });
});
