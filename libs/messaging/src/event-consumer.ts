import type { LoggerService } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { deadLetterTopic, EventContract, EventEnvelope, eventProblems } from '@tally/contracts';
import { contextFromTraceparent, inSpan, messagesHandled, SpanKind } from '@tally/observability';
import { superviseConsumer } from './consumer-supervisor';

export type EventHandler<TData> = (event: EventEnvelope<TData>, manager: EntityManager) => Promise<void>;
/** A handler that makes its own effect idempotent (the ledger's posting kernel claims the event id itself). */
export type SelfIdempotentHandler<TData> = (event: EventEnvelope<TData>, topic: string) => Promise<void>;

export type Subscription<TData = unknown> =
  | { contract: EventContract<TData>; handle: EventHandler<TData>; selfIdempotent?: false }
  | { contract: EventContract<TData>; handle: SelfIdempotentHandler<TData>; selfIdempotent: true };

/** Pairs a contract with its handler, which runs in the consumer's inbox transaction. */
export function on<TData>(contract: EventContract<TData>, handle: EventHandler<TData>): Subscription {
  return { contract, handle } as Subscription;
}

/**
 * Pairs a contract with a handler that records the event id itself in the same transaction as
 * its effect (so it must be idempotent on `event.id`); the events of a batch are handed to it all
 * at once, so a handler that groups work (the ledger's posting kernel) gets them together.
 */
export function onEach<TData>(contract: EventContract<TData>, handle: SelfIdempotentHandler<TData>): Subscription {
  return { contract, handle, selfIdempotent: true } as Subscription;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  dataSource: DataSource;
  schema: string;
  /** Sends dead letters. */
  producer: Producer;
  logger: LoggerService;
  subscriptions: Subscription[];
  maxAttempts?: number;
  baseDelayMs?: number;
  /** Called after an event's transaction committed (wakes the outbox relay). */
  afterCommit?: () => void;
}

interface Parsed {
  message: KafkaMessage;
  envelope: EventEnvelope;
  subscription: Subscription;
}

/**
 * An idempotent Kafka consumer. Each fetched batch is handled together: events for transactional
 * handlers commit in one database transaction with their inbox rows (one commit for the batch, so
 * a redelivered event is recognised and skipped); events for self-idempotent handlers are handed
 * over all at once. If the batch's transaction fails, each event runs again on its own, retried with
 * backoff and then sent to `<topic>.dlq`; an infrastructure failure (database down) is never
 * dead-lettered: the offset is not committed and the batch is consumed again once it is back.
 * An event of a type this consumer takes but in a version it does not know is parked in the DLQ
 * with the reason (never skipped silently); types it does not take are ignored.
 */
export class EventConsumer {
  private consumer: Consumer | undefined;
  private readonly byType = new Map<string, Subscription>();
  private readonly knownTypes = new Set<string>();
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private stopping = false;

  constructor(private readonly options: EventConsumerOptions) {
    for (const s of options.subscriptions) {
      this.byType.set(`${s.contract.type}@${s.contract.version}`, s);
      this.knownTypes.add(s.contract.type);
    }
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 200;
  }

  async start(): Promise<void> {
    const topics = [...new Set(this.options.subscriptions.map((s) => s.contract.topic))];
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      // A consumer killed without leaving holds its partitions until this runs out: keep failover
      // short. A message's retries (5 attempts, 3 s of backoff at most) stay well inside it.
      sessionTimeout: 10000,
      heartbeatInterval: 3000,
      retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 5000 },
    });
    // Restarted after any crash (kafkajs gives up after a non-retriable one) and reported to readiness.
    this.consumer = superviseConsumer(consumer, this.options.groupId, { logger: this.options.logger });
    await this.consumer.connect();
    // A new group starts from the beginning so no event published before it first joined is missed.
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({ eachBatchAutoResolve: false, partitionsConsumedConcurrently: 3, eachBatch: (payload) => this.handleBatch(payload) });
  }

  /** Stops fetching and waits for the batch in hand to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const topic = batch.topic;
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 2000);
    try {
      const parsed: Parsed[] = [];
      for (const message of batch.messages) {
        const event = await this.parse(topic, batch.partition, message);
        if (event) parsed.push(event);
      }
      const transactional = parsed.filter((p) => !p.subscription.selfIdempotent);
      const selfIdempotent = parsed.filter((p) => p.subscription.selfIdempotent);
      if (transactional.length > 0 && isRunning() && !isStale()) await this.handleTransactional(topic, batch.partition, transactional);
      if (selfIdempotent.length > 0 && isRunning() && !isStale()) {
        await Promise.all(
          selfIdempotent.map((p) => this.traced(topic, p, () => this.withRetries(topic, batch.partition, p, () => this.runSelfIdempotent(topic, p)))),
        );
      }
      if (isRunning() && !isStale() && batch.messages.length > 0) resolveOffset(batch.messages[batch.messages.length - 1].offset);
    } finally {
      clearInterval(beat);
    }
    await heartbeat();
  }

  /** The envelope and its subscription, or undefined when the message was dead-lettered or is not for this consumer. */
  private async parse(topic: string, partition: number, message: KafkaMessage): Promise<Parsed | undefined> {
    let envelope: EventEnvelope;
    try {
      envelope = JSON.parse(message.value?.toString() ?? '');
    } catch {
      await this.deadLetter(topic, partition, message, 'unparseable JSON');
      return undefined;
    }
    const type = String(envelope?.type);
    const subscription = this.byType.get(`${type}@${envelope?.version}`);
    if (!subscription) {
      if (this.knownTypes.has(type)) {
        await this.deadLetter(
          topic,
          partition,
          message,
          `version ${String(envelope?.version)} of ${type} is not supported by ${this.options.groupId}`,
          'unknown_version',
        );
      } else {
        messagesHandled.inc({ topic, type, outcome: 'ignored' });
      }
      return undefined;
    }
    const problems = eventProblems(subscription.contract, envelope);
    if (problems.length > 0) {
      await this.deadLetter(topic, partition, message, `invalid event: ${problems.join('; ')}`);
      return undefined;
    }
    return { message, envelope, subscription };
  }

  /** One transaction for the batch's inbox rows and effects; on any failure, each event on its own. */
  private async handleTransactional(topic: string, partition: number, events: Parsed[]): Promise<void> {
    if (events.length > 1) {
      try {
        const handled = await this.options.dataSource.transaction(async (manager) => {
          const fresh = await this.claim(manager, topic, events);
          const handled = new Set<string>();
          for (const p of events) {
            // A copy of an event in the same batch is a duplicate too.
            if (!fresh.has(p.envelope.id) || handled.has(p.envelope.id)) continue;
            handled.add(p.envelope.id);
            await (p.subscription.handle as EventHandler<unknown>)(p.envelope, manager);
          }
          return handled;
        });
        if (handled.size > 0) this.options.afterCommit?.();
        const counted = new Set<string>();
        for (const p of events) {
          const first = handled.has(p.envelope.id) && !counted.has(p.envelope.id);
          counted.add(p.envelope.id);
          messagesHandled.inc({ topic, type: p.envelope.type, outcome: first ? 'handled' : 'duplicate' });
        }
        return;
      } catch (err) {
        if (isTransientInfrastructureError(err) || this.stopping) throw err;
        // One event failed the batch: each runs alone, so only it is retried and dead-lettered.
      }
    }
    for (const p of events) {
      await this.traced(topic, p, () =>
        this.withRetries(topic, partition, p, async () => {
          const handled = await this.options.dataSource.transaction(async (manager) => {
            const fresh = await this.claim(manager, topic, [p]);
            if (fresh.size > 0) await (p.subscription.handle as EventHandler<unknown>)(p.envelope, manager);
            return fresh.size > 0;
          });
          if (handled) this.options.afterCommit?.();
          return handled;
        }),
      );
    }
  }

  private async runSelfIdempotent(topic: string, p: Parsed): Promise<boolean> {
    await (p.subscription.handle as SelfIdempotentHandler<unknown>)(p.envelope, topic);
    this.options.afterCommit?.();
    return true;
  }

  /** Inbox rows for the events; the ids inserted now (the others were handled before). */
  private async claim(manager: EntityManager, topic: string, events: Parsed[]): Promise<Set<string>> {
    const inserted: { event_id: string }[] = await manager.query(
      `INSERT INTO "${this.options.schema}".inbox (event_id, topic, event_type)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [events.map((p) => p.envelope.id), events.map(() => topic), events.map((p) => p.envelope.type)],
    );
    return new Set(inserted.map((r) => r.event_id));
  }

  private traced<T>(topic: string, p: Parsed, work: () => Promise<T>): Promise<T> {
    const traceparent = p.message.headers?.traceparent?.toString() ?? p.envelope.traceparent;
    return inSpan(
      `${topic} process ${p.envelope.type}`,
      SpanKind.CONSUMER,
      contextFromTraceparent(traceparent),
      { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.message.id': p.envelope.id },
      work,
    );
  }

  private async withRetries(topic: string, partition: number, p: Parsed, once: () => Promise<boolean>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const handled = await once();
        messagesHandled.inc({ topic, type: p.envelope.type, outcome: handled ? 'handled' : 'duplicate' });
        return;
      } catch (err) {
        if (isTransientInfrastructureError(err) || this.stopping) {
          // Leave the offset uncommitted: kafkajs retries, and redelivery is safe thanks to the inbox.
          throw err;
        }
        if (attempt >= this.maxAttempts) {
          await this.deadLetter(topic, partition, p.message, (err as Error).message);
          return;
        }
        messagesHandled.inc({ topic, type: p.envelope.type, outcome: 'retried' });
        await new Promise((r) => setTimeout(r, this.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, error: string, outcome = 'dead_lettered'): Promise<void> {
    this.options.logger.error({ msg: 'event dead-lettered', topic, partition, offset: message.offset, error }, 'EventConsumer');
    await this.options.producer.send({
      topic: deadLetterTopic(topic),
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-error': error.slice(0, 1000),
            'dlq-source-topic': topic,
            'dlq-source-partition': String(partition),
            'dlq-source-offset': message.offset,
            'dlq-consumer-group': this.options.groupId,
          },
        },
      ],
    });
    messagesHandled.inc({ topic, type: 'unknown', outcome });
  }
}

// Connection failures, server shutdown, too many connections, and deadlock / serialization failures (retrying is the fix).
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', '40P01', '40001']);

/** Errors that say a dependency is unreachable, not that the event is bad. */
export function isTransientInfrastructureError(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string; name?: string };
  const code = e?.driverError?.code ?? e?.code;
  if (code && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) return true;
  if (code === 'SERVICE_UNAVAILABLE') return true;
  const message = e?.message ?? '';
  return (
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message) ||
    (e?.name ?? '').startsWith('KafkaJS')
  );
}
