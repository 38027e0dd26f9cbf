import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { allTopics, deadLetterTopic, EventEnvelope, Topics, TransactionEventData, TransactionPostedV1, uuidv7 } from '@tally/contracts';
import { metricsRegistry } from '@tally/observability';
import { recreateDatabase, waitFor, testDatabaseUrl, testKafkaClient } from '@tally/testing';
import { EventConsumer, on } from './event-consumer';
import { createProducer, ensureTopics } from './kafka-client';
import { createMessagingTables } from './messaging-tables';
import { enqueueEvent } from './outbox';
import { OutboxRelay } from './outbox-relay';

const URL = process.env.TEST_MESSAGING_DATABASE_URL ?? testDatabaseUrl('int_messaging');
const SCHEMA = 'msgtest';

/** Outbox → real Kafka → idempotent consumer, against the real broker and Postgres. */
describe('outbox relay and idempotent consumer', () => {
  const logger = new Logger('int-spec');
  const kafka = testKafkaClient('messaging-int-spec');
  const producer = createProducer(kafka);
  let db: DataSource;
  let relay: OutboxRelay;
  let consumer: EventConsumer;
  const run = uuidv7();
  const failing = new Set<string>();

  function event(n: number): TransactionEventData {
    return {
      transactionId: uuidv7(),
      reference: `TX-${run.slice(-6)}-${n}`,
      type: 'deposit',
      status: 'completed',
      walletId: run,
      userId: run,
      amountMinor: String(100 + n),
      feeMinor: '0',
      currency: 'USD',
      createdAt: new Date().toISOString(),
    };
  }

  const handledCount = async (): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.effects WHERE run = $1`, [run]))[0].n;

  beforeAll(async () => {
    await recreateDatabase(URL);
    db = await new DataSource({ type: 'postgres', url: URL }).initialize();
    await db.query(`CREATE SCHEMA ${SCHEMA}`);
    const runner = db.createQueryRunner();
    await createMessagingTables(runner, SCHEMA);
    await runner.release();
    await db.query(`CREATE TABLE ${SCHEMA}.effects (event_id uuid, run uuid, amount bigint)`);
    await ensureTopics(kafka, allTopics());
    await producer.connect();
    relay = new OutboxRelay(db, SCHEMA, producer, logger, { idleMs: 50 });
    consumer = new EventConsumer({
      kafka,
      groupId: `int-spec-${run}`,
      dataSource: db,
      schema: SCHEMA,
      producer,
      logger,
      maxAttempts: 3,
      baseDelayMs: 10,
      subscriptions: [
        on(TransactionPostedV1, async (e, m) => {
          if (e.data.walletId !== run) return;
          if (failing.has(e.data.reference)) throw new Error('handler refuses this event');
          await m.query(`INSERT INTO ${SCHEMA}.effects (event_id, run, amount) VALUES ($1, $2, $3)`, [e.id, run, e.data.amountMinor]);
        }),
      ],
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await producer.disconnect();
    await db?.destroy();
  });

  it('publishes only what was committed, and each event takes effect once', async () => {
    const committed: EventEnvelope[] = [];
    await db.transaction(async (m) => {
      for (let n = 0; n < 20; n++) {
        committed.push(await enqueueEvent(m, SCHEMA, TransactionPostedV1, { source: 'int-spec', subject: run, data: event(n) }));
      }
    });
    await expect(
      db.transaction(async (m) => {
        await enqueueEvent(m, SCHEMA, TransactionPostedV1, { source: 'int-spec', subject: run, data: event(99) });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');

    relay.start();
    await waitFor(async () => ((await handledCount()) >= 20 ? true : undefined), { timeoutMs: 30_000, what: '20 effects' });
    const unpublished = await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox WHERE published_at IS NULL`);
    expect(unpublished[0].n).toBe(0);

    // The same events again, as a relay that died before marking them published would send them.
    await producer.send({
      topic: Topics.ledgerEvents,
      messages: committed.slice(0, 5).map((e) => ({ key: run, value: JSON.stringify(e) })),
    });
    const marker = await db.transaction((m) => enqueueEvent(m, SCHEMA, TransactionPostedV1, { source: 'int-spec', subject: run, data: event(20) }));
    relay.nudge();
    await waitFor(async () => ((await db.query(`SELECT 1 FROM ${SCHEMA}.effects WHERE event_id = $1`, [marker.id])).length ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the marker event',
    });
    expect(await handledCount()).toBe(21);
    const effects = await db.query(`SELECT sum(amount)::text AS total FROM ${SCHEMA}.effects WHERE run = $1`, [run]);
    expect(effects[0].total).toBe(String(Array.from({ length: 21 }, (_, n) => 100 + n).reduce((a, b) => a + b, 0)));
    const rolledBack = await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox WHERE payload->'data'->>'reference' LIKE '%-99'`);
    expect(rolledBack[0].n).toBe(0);
  });

  it('dead-letters an event its handler keeps refusing, and goes on with the rest', async () => {
    const poison = event(500);
    failing.add(poison.reference);
    const dlqConsumer = kafka.consumer({ groupId: `int-spec-dlq-${run}` });
    const dead: { value: string; error: string }[] = [];
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: deadLetterTopic(Topics.ledgerEvents), fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        dead.push({ value: message.value?.toString() ?? '', error: message.headers?.['dlq-error']?.toString() ?? '' });
      },
    });
    const before = await handledCount();
    await db.transaction(async (m) => {
      await enqueueEvent(m, SCHEMA, TransactionPostedV1, { source: 'int-spec', subject: run, data: poison });
      await enqueueEvent(m, SCHEMA, TransactionPostedV1, { source: 'int-spec', subject: run, data: event(501) });
    });
    relay.nudge();
    await waitFor(async () => ((await handledCount()) === before + 1 ? true : undefined), { timeoutMs: 30_000, what: 'the healthy event' });
    const letter = await waitFor(async () => dead.find((d) => d.value.includes(poison.reference)), { timeoutMs: 30_000, what: 'the dead letter' });
    expect(letter.error).toBe('handler refuses this event');
    await dlqConsumer.disconnect();
  });

  it('parks an event of a version it does not know in the DLQ with the reason and counts it; an unknown type it skips', async () => {
    const unknownVersions = async () =>
      (await metricsRegistry.getSingleMetricAsString('kafka_messages_handled_total'))
        .split('\n')
        .filter((line) => line.includes('outcome="unknown_version"') && line.includes(`topic="${Topics.ledgerEvents}"`))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    const before = await unknownVersions();
    const dlqConsumer = kafka.consumer({ groupId: `int-spec-dlq-version-${run}` });
    const dead: { value: string; error: string }[] = [];
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: deadLetterTopic(Topics.ledgerEvents), fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        dead.push({ value: message.value?.toString() ?? '', error: message.headers?.['dlq-error']?.toString() ?? '' });
      },
    });
    const future = { ...event(600), reference: `TX-${run.slice(-6)}-v99` };
    const envelope = (type: string, version: number) => ({
      id: uuidv7(),
      type,
      version,
      source: 'int-spec',
      subject: run,
      occurredAt: new Date().toISOString(),
      data: future,
    });
    const healthy = await db.transaction((m) => enqueueEvent(m, SCHEMA, TransactionPostedV1, { source: 'int-spec', subject: run, data: event(601) }));
    await producer.send({
      topic: Topics.ledgerEvents,
      messages: [
        { key: run, value: JSON.stringify(envelope(TransactionPostedV1.type, 99)) },
        { key: run, value: JSON.stringify(envelope('transaction.teleported', 1)) },
      ],
    });
    relay.nudge();
    const letter = await waitFor(async () => dead.find((d) => d.value.includes(future.reference)), { timeoutMs: 30_000, what: 'the parked event' });
    expect(letter.error).toBe(`version 99 of ${TransactionPostedV1.type} is not supported by int-spec-${run}`);
    await waitFor(async () => ((await db.query(`SELECT 1 FROM ${SCHEMA}.effects WHERE event_id = $1`, [healthy.id])).length ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the healthy event after it',
    });
    expect(await unknownVersions()).toBe(before + 1);
    // The unknown type is another consumer's business: not parked, no effect.
    expect(dead.filter((d) => d.value.includes('transaction.teleported'))).toEqual([]);
    expect(await handledCount()).toBeGreaterThan(0);
    await dlqConsumer.disconnect();
  });

  it('publishes from one relay at a time; another takes over when it stops, and each key keeps its order', async () => {
    const standby = new OutboxRelay(db, SCHEMA, producer, logger, { idleMs: 50, standbyMs: 100 });
    standby.start();
    const key = uuidv7();
    const seen: number[] = [];
    const reader = kafka.consumer({ groupId: `int-spec-order-${run}` });
    await reader.connect();
    await reader.subscribe({ topic: Topics.ledgerEvents, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== key) return;
        seen.push(Number(JSON.parse(message.value?.toString() ?? '{}').data.amountMinor));
      },
    });
    const write = async (from: number, to: number) => {
      for (let n = from; n < to; n += 5) {
        await db.transaction(async (m) => {
          for (let i = n; i < Math.min(n + 5, to); i++) {
            await enqueueEvent(m, SCHEMA, TransactionPostedV1, { source: 'int-spec', subject: key, data: { ...event(0), amountMinor: String(i) } });
          }
        });
        standby.announce();
      }
    };
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect([relay.publishing, standby.publishing]).toEqual([true, false]);
      await write(0, 40);
      await waitFor(async () => (seen.length >= 40 ? true : undefined), { timeoutMs: 30_000, what: '40 events' });
      // The publishing relay steps down (as at a rolling restart); the standby takes over.
      await relay.stop();
      await waitFor(async () => (standby.publishing ? true : undefined), { timeoutMs: 10_000, what: 'the standby to publish' });
      await write(40, 80);
      await waitFor(async () => (seen.length >= 80 ? true : undefined), { timeoutMs: 30_000, what: '80 events' });
      expect(seen).toEqual(Array.from({ length: 80 }, (_, i) => i));
    } finally {
      await reader.disconnect();
      await standby.stop();
    }
  });
});
