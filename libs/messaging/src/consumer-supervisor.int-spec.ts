import { Global, INestApplication, Injectable, LoggerService, Module, OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaJSNonRetriableError } from 'kafkajs';
import { DataSource } from 'typeorm';
import { allTopics, EventEnvelope, Topics, TransactionEventData, TransactionPostedV1, uuidv7 } from '@tally/contracts';
import { ObservabilityModule } from '@tally/observability';
import { recreateDatabase, testKafka, waitFor, testDatabaseUrl } from '@tally/testing';
import { on } from './event-consumer';
import { createMessagingTables } from './messaging-tables';
import { Messaging, MessagingModule } from './messaging.module';

const URL = process.env.TEST_CONSUMERS_DATABASE_URL ?? testDatabaseUrl('consumers_int_supervisor');
const SCHEMA = 'supervisortest';

/** Keeps the log entries so the test can read the crash report. */
class CapturingLogger implements LoggerService {
  readonly errors: unknown[] = [];
  log(): void {}
  warn(): void {}
  error(message: unknown): void {
    this.errors.push(message);
  }
}

/**
 * A consumer crashed by a non-retriable error (which kafkajs does not restart) against the real
 * broker: readiness turns 503 while it is down, it is restarted, consumes the event, and readiness
 * is 200 again. Uses the real Messaging module, so the wiring the services use is what is tested.
 */
describe('consumer supervision', () => {
  const run = uuidv7();
  const logger = new CapturingLogger();
  let db: DataSource;
  let app: INestApplication;
  let base: string;
  let crashes = 0;
  let crashOn = '';

  const readiness = async (): Promise<{ status: number; body: { checks: Record<string, { ok: boolean; error?: string }> } }> => {
    const res = await fetch(`${base}/health/ready`);
    return { status: res.status, body: (await res.json()) as { checks: Record<string, { ok: boolean; error?: string }> } };
  };
  const effectFor = async (eventId: string): Promise<boolean> => (await db.query(`SELECT 1 FROM ${SCHEMA}.effects WHERE event_id = $1`, [eventId])).length > 0;

  async function publish(reference: string): Promise<EventEnvelope<TransactionEventData>> {
    const envelope: EventEnvelope<TransactionEventData> = {
      id: uuidv7(),
      type: TransactionPostedV1.type,
      version: TransactionPostedV1.version,
      source: 'int-spec',
      subject: run,
      occurredAt: new Date().toISOString(),
      data: {
        transactionId: uuidv7(),
        reference,
        type: 'deposit',
        status: 'completed',
        walletId: run,
        userId: run,
        amountMinor: '100',
        feeMinor: '0',
        currency: 'USD',
        createdAt: new Date().toISOString(),
      },
    };
    await app.get(Messaging).producer.send({ topic: Topics.ledgerEvents, messages: [{ key: run, value: JSON.stringify(envelope) }] });
    return envelope;
  }

  @Injectable()
  class TestConsumer implements OnModuleInit {
    constructor(private readonly messaging: Messaging) {}
    onModuleInit(): void {
      this.messaging.consume('supervised', [
        on(TransactionPostedV1, async (e, m) => {
          if (e.data.walletId !== run) return;
          if (e.data.reference === crashOn && crashes === 0) {
            crashes++;
            // What kafkajs does not restart on its own (e.g. a non-retriable client error in a handler).
            throw new KafkaJSNonRetriableError('simulated non-retriable failure');
          }
          await m.query(`INSERT INTO ${SCHEMA}.effects (event_id) VALUES ($1)`, [e.id]);
        }),
      ]);
    }
  }

  beforeAll(async () => {
    await recreateDatabase(URL);
    db = await new DataSource({ type: 'postgres', url: URL }).initialize();
    await db.query(`CREATE SCHEMA ${SCHEMA}`);
    const runner = db.createQueryRunner();
    await createMessagingTables(runner, SCHEMA);
    await runner.release();
    await db.query(`CREATE TABLE ${SCHEMA}.effects (event_id uuid PRIMARY KEY)`);

    @Global()
    @Module({ providers: [{ provide: DataSource, useValue: db }], exports: [DataSource] })
    class TestDatabaseModule {}

    @Module({
      imports: [
        ObservabilityModule,
        TestDatabaseModule,
        MessagingModule.forService({
          service: `int-consumers-${run}`,
          schema: SCHEMA,
          brokers: [testKafka().brokers],
          sasl: testKafka().sasl,
          topics: allTopics(),
        }),
      ],
      providers: [TestConsumer],
    })
    class TestAppModule {}

    app = await NestFactory.create(TestAppModule, { logger });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('restarts a consumer that kafkajs gave up on; readiness is 503 while it is down', async () => {
    const first = await publish(`TX-${run.slice(-6)}-1`);
    await waitFor(async () => ((await effectFor(first.id)) ? true : undefined), { timeoutMs: 45_000, what: 'the first event' });
    expect((await readiness()).status).toBe(200);

    crashOn = `TX-${run.slice(-6)}-2`;
    const second = await publish(crashOn);
    const down = await waitFor(
      async () => {
        const r = await readiness();
        return r.status === 503 ? r : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, what: 'readiness 503 after the crash' },
    );
    expect(crashes).toBe(1);
    expect(down.body.checks.consumers.ok).toBe(false);
    expect(down.body.checks.consumers.error).toContain('simulated non-retriable failure');
    expect(down.body.checks.kafka.ok).toBe(true);

    // Restarted: the event that crashed it is redelivered (its offset was never committed) and handled.
    await waitFor(async () => ((await effectFor(second.id)) ? true : undefined), { timeoutMs: 45_000, what: 'the redelivered event' });
    await waitFor(async () => ((await readiness()).status === 200 ? true : undefined), { timeoutMs: 15_000, what: 'readiness 200 again' });
    const third = await publish(`TX-${run.slice(-6)}-3`);
    await waitFor(async () => ((await effectFor(third.id)) ? true : undefined), { timeoutMs: 30_000, what: 'an event after the restart' });

    const crashLog = logger.errors.find((e) => (e as { msg?: string })?.msg === 'kafka consumer crashed') as Record<string, unknown>;
    expect(crashLog).toMatchObject({
      consumer: `int-consumers-${run}.supervised`,
      error: 'KafkaJSNonRetriableError: simulated non-retriable failure',
      restartedBy: 'supervisor',
    });
  });
});
