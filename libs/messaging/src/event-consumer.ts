import type { LoggerService } from '@nestjs/common';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { deadLetterTopic, EventContract, EventEnvelope, eventProblems } from '@tally/contracts';
import { contextFromTraceparent, inSpan, messagesHandled, SpanKind } from '@tally/observability';
import { superviseConsumer } from './consumer-supervisor';

export type EventHandler<TData> = (event: EventEnvelope<TData>, manager: EntityManager) => Promise<void>;

export interface Subscription<TData = unknown> {
  contract: EventContract<TData>;
  handle: EventHandler<TData>;
}

/** Pairs a contract with its handler with the data type checked. */
export function on<TData>(contract: EventContract<TData>, handle: EventHandler<TData>): Subscription {
  return { contract, handle } as Subscription;
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

/**
 * An idempotent Kafka consumer: each event's effect and its inbox row commit in one transaction,
 * so a redelivered event is recognised and skipped. A failing event is retried with backoff and
 * then sent to `<topic>.dlq`; an infrastructure failure (database down) is never dead-lettered:
 * the message is left uncommitted and consumed again once the dependency is back.
 */
export class EventConsumer {
  private consumer: Consumer | undefined;
  private readonly byType = new Map<string, Subscription>();
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private stopping = false;

  constructor(private readonly options: EventConsumerOptions) {
    for (const s of options.subscriptions) this.byType.set(`${s.contract.type}@${s.contract.version}`, s);
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
    await this.consumer.run({ eachMessage: (payload) => this.handleMessage(payload) });
  }

  /** Stops fetching and waits for the message in hand to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  private async handleMessage({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const raw = message.value?.toString() ?? '';
    let envelope: EventEnvelope;
    try {
      envelope = JSON.parse(raw);
    } catch {
      await this.deadLetter(topic, partition, message, 'unparseable JSON');
      return;
    }
    const subscription = this.byType.get(`${envelope?.type}@${envelope?.version}`);
    if (!subscription) {
      messagesHandled.inc({ topic, type: String(envelope?.type), outcome: 'ignored' });
      return;
    }
    const problems = eventProblems(subscription.contract, envelope);
    if (problems.length > 0) {
      await this.deadLetter(topic, partition, message, `invalid event: ${problems.join('; ')}`);
      return;
    }
    const traceparent = message.headers?.traceparent?.toString() ?? envelope.traceparent;
    await inSpan(
      `${topic} process ${envelope.type}`,
      SpanKind.CONSUMER,
      contextFromTraceparent(traceparent),
      { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.message.id': envelope.id },
      () => this.handleWithRetries(topic, partition, message, envelope, subscription),
    );
  }

  private async handleWithRetries(
    topic: string,
    partition: number,
    message: EachMessagePayload['message'],
    envelope: EventEnvelope,
    subscription: Subscription,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const handled = await this.handleOnce(topic, envelope, subscription);
        if (handled) this.options.afterCommit?.();
        messagesHandled.inc({ topic, type: envelope.type, outcome: handled ? 'handled' : 'duplicate' });
        return;
      } catch (err) {
        if (isTransientInfrastructureError(err) || this.stopping) {
          // Leave the offset uncommitted: kafkajs retries, and redelivery is safe thanks to the inbox.
          throw err;
        }
        if (attempt >= this.maxAttempts) {
          await this.deadLetter(topic, partition, message, (err as Error).message);
          return;
        }
        messagesHandled.inc({ topic, type: envelope.type, outcome: 'retried' });
        await new Promise((r) => setTimeout(r, this.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  /** Returns false when the event was handled before. */
  private async handleOnce(topic: string, envelope: EventEnvelope, subscription: Subscription): Promise<boolean> {
    return this.options.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO "${this.options.schema}".inbox (event_id, topic, event_type) VALUES ($1, $2, $3)
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [envelope.id, topic, envelope.type],
      );
      if (inserted.length === 0) return false;
      await subscription.handle(envelope, manager);
      return true;
    });
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: EachMessagePayload['message'],
    error: string,
  ): Promise<void> {
    this.options.logger.error(
      { msg: 'event dead-lettered', topic, partition, offset: message.offset, error },
      'EventConsumer',
    );
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
    messagesHandled.inc({ topic, type: 'unknown', outcome: 'dead_lettered' });
  }
}

// Connection failures, server shutdown, too many connections, and deadlock / serialization failures (retrying is the fix).
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', '40P01', '40001']);

/** Errors that say a dependency is unreachable, not that the event is bad. */
export function isTransientInfrastructureError(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string; name?: string };
  const code = e?.driverError?.code ?? e?.code;
  if (code && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) return true;
  const message = e?.message ?? '';
  return (
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    ) || (e?.name ?? '').startsWith('KafkaJS')
  );
}
