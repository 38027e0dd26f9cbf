import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  allTopics,
  BudgetThresholdV1,
  EventEnvelope,
  Topics,
  TransactionEventData,
  TransactionPostedV1,
  TransactionReversedV1,
  uuidv7,
} from '@tally/contracts';
import { openServiceDatabase } from '@tally/database';
import { createProducer, ensureTopics, EventConsumer, on, OutboxRelay } from '@tally/messaging';
import { readTopic, recreateDatabase, waitFor, testDatabaseUrl, testKafkaClient } from '@tally/testing';
import { ANALYTICS_MIGRATIONS } from '../app.module';
import { SpendingRepository } from '../spending/spending.repository';
import { SpendingService } from '../spending/spending.service';
import { BudgetsRepository } from './budgets.repository';
import { BudgetsService } from './budgets.service';

const URL = process.env.TEST_ANALYTICS_BUDGETS_DATABASE_URL ?? testDatabaseUrl('analytics_budgets');

/**
 * Ledger events → analytics' spending projection → budget.threshold on analytics.events, through
 * the real broker and Postgres: each threshold of a period is announced once, whether the ledger
 * event arrives once, three times (redelivery) or again under another event id, and a threshold
 * crossed again after a reversal brought spending back under it is not announced twice.
 */
describe('budget thresholds', () => {
  jest.setTimeout(90_000);
  const logger = new Logger('budget-thresholds-int-spec');
  const kafka = testKafkaClient('budget-thresholds-int-spec');
  const producer = createProducer(kafka);
  let db: DataSource;
  let relay: OutboxRelay;
  let consumer: EventConsumer;
  let budgets: BudgetsService;
  const user: Actor = { userId: uuidv7(), roles: ['user'] };
  const walletId = uuidv7();

  function posted(amountMinor: string, category = 'groceries', currency = 'USD'): EventEnvelope<TransactionEventData> {
    const transactionId = uuidv7();
    return {
      id: uuidv7(),
      type: TransactionPostedV1.type,
      version: TransactionPostedV1.version,
      source: 'int-spec',
      subject: walletId,
      occurredAt: new Date().toISOString(),
      data: {
        transactionId,
        reference: `TX-${transactionId.slice(-8)}`,
        type: 'purchase',
        status: 'completed',
        walletId,
        userId: user.userId,
        amountMinor,
        feeMinor: '0',
        currency,
        merchantName: 'Corner Shop',
        merchantCategory: category,
        createdAt: new Date().toISOString(),
      },
    };
  }

  function reversed(of: EventEnvelope<TransactionEventData>): EventEnvelope<TransactionEventData> {
    return { ...of, id: uuidv7(), type: TransactionReversedV1.type, data: { ...of.data, status: 'reversed', reason: 'int-spec' } };
  }

  async function deliver(...events: EventEnvelope<TransactionEventData>[]): Promise<void> {
    await producer.send({ topic: Topics.ledgerEvents, messages: events.map((e) => ({ key: user.userId, value: JSON.stringify(e) })) });
  }

  /** Waits until the consumer has handled an event (its inbox row), then until the relay published every outbox row. */
  async function settled(event: EventEnvelope): Promise<void> {
    await waitFor(async () => ((await db.query(`SELECT 1 FROM analytics.inbox WHERE event_id = $1`, [event.id])).length ? true : undefined), {
      timeoutMs: 30_000,
      what: `event ${event.id} handled`,
    });
    await waitFor(async () => ((await db.query(`SELECT count(*)::int AS n FROM analytics.outbox WHERE published_at IS NULL`))[0].n === 0 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the outbox published',
    });
  }

  async function announced(budgetId: string): Promise<number[]> {
    const messages = await readTopic(kafka, Topics.analyticsEvents);
    return messages
      .map((m) => JSON.parse(m.value ?? '{}') as EventEnvelope<BudgetThresholdV1>)
      .filter((e) => e.type === BudgetThresholdV1.type && e.data.budgetId === budgetId)
      .map((e) => e.data.threshold);
  }

  beforeAll(async () => {
    await recreateDatabase(URL);
    db = await openServiceDatabase({ url: URL, schema: 'analytics', applicationName: 'budget-thresholds-int-spec', migrations: ANALYTICS_MIGRATIONS });
    budgets = new BudgetsService(new BudgetsRepository(db));
    const spending = new SpendingService(new SpendingRepository(db), budgets);
    await ensureTopics(kafka, allTopics());
    await producer.connect();
    relay = new OutboxRelay(db, 'analytics', producer, logger, { idleMs: 50 });
    relay.start();
    consumer = new EventConsumer({
      kafka,
      groupId: `budget-thresholds-int-spec-${uuidv7()}`,
      dataSource: db,
      schema: 'analytics',
      producer,
      logger,
      subscriptions: [on(TransactionPostedV1, (e, m) => spending.onPosted(e, m)), on(TransactionReversedV1, (e, m) => spending.onReversed(e, m))],
      afterCommit: () => relay.nudge(),
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await producer.disconnect();
    await db?.destroy();
  });

  it('announces each threshold once per period under redelivery, replays and reversals', async () => {
    const budget = await budgets.create(
      user,
      { category: 'groceries', amount: '100.00', currency: 'USD', period: 'monthly', alertAt: [50, 80, 100] },
      uuidv7(),
    );

    // 60 %: threshold 50. Delivered three times, and once more under a new event id (as a replay with other ids would).
    const first = posted('6000');
    await deliver(first, first, first, { ...first, id: uuidv7() });
    // Other categories and currencies do not count toward this budget.
    const elsewhere = [posted('9000', 'travel'), posted('9000', 'groceries', 'EUR')];
    await deliver(...elsewhere);
    await settled(elsewhere[1]);
    expect(await announced(budget.id)).toEqual([50]);
    expect((await budgets.progress(user, budget.id)).spent).toBe('60.00');

    // 85 %: threshold 80, delivered twice.
    const second = posted('2500');
    await deliver(second, second);
    await settled(second);
    expect(await announced(budget.id)).toEqual([50, 80]);

    // The 25.00 purchase is reversed (back to 60 %), then 90 %: 80 was already announced this period.
    const reversal = reversed(second);
    const third = posted('3000');
    await deliver(reversal, third);
    await settled(third);
    expect((await budgets.progress(user, budget.id)).spent).toBe('90.00');
    expect(await announced(budget.id)).toEqual([50, 80]);

    // 100 %: threshold 100, with the spending and period the event carries.
    const fourth = posted('1000');
    await deliver(fourth, fourth);
    await settled(fourth);
    expect(await announced(budget.id)).toEqual([50, 80, 100]);
    const last = (await readTopic(kafka, Topics.analyticsEvents))
      .map((m) => JSON.parse(m.value ?? '{}') as EventEnvelope<BudgetThresholdV1>)
      .find((e) => e.data.budgetId === budget.id && e.data.threshold === 100);
    expect(last?.data).toMatchObject({ userId: user.userId, category: 'groceries', currency: 'USD', amountMinor: '10000', spentMinor: '10000' });
    expect(await db.query(`SELECT threshold FROM analytics.budget_alerts WHERE budget_id = $1 ORDER BY threshold`, [budget.id])).toEqual([
      { threshold: 50 },
      { threshold: 80 },
      { threshold: 100 },
    ]);
  });
});
