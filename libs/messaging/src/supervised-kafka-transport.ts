import type { LoggerService } from '@nestjs/common';
import { ClientKafka, KafkaOptions, ServerKafka } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { withTraceparent } from '@tally/observability';
import { superviseConsumers } from './consumer-supervisor';

type KafkaTransportOptions = NonNullable<KafkaOptions['options']>;

export interface CommandServerOptions {
  /**
   * Commands handled at once. 1 keeps Nest's one-at-a-time eachMessage per partition. Above 1, a
   * slow command no longer holds up the fast ones behind it, and a service that groups concurrent
   * work (the ledger's posting kernel) receives enough of it to group.
   */
  concurrency?: number;
  /**
   * The command topics this server consumes (default: every topic with a handler). A service that
   * runs two servers (identity: its credential commands apart) gives each its own topics.
   */
  topics?: string[];
}

/** The Nest Kafka server (a service's command consumer) with its consumer supervised. */
export class SupervisedServerKafka extends ServerKafka {
  private readonly concurrency: number;
  private readonly topics: string[] | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly progress = new Map<string, PartitionProgress>();
  private commitTimer: NodeJS.Timeout | undefined;

  constructor(
    options: KafkaTransportOptions,
    private readonly consumerName: string,
    private readonly supervisorLogger: LoggerService,
    serverOptions: CommandServerOptions = {},
  ) {
    super(options);
    this.concurrency = Math.max(1, Math.floor(serverOptions.concurrency ?? 1));
    this.topics = serverOptions.topics;
  }

  override createClient<T = Kafka>(): T {
    return superviseConsumers(super.createClient<Kafka>(), this.consumerName, { logger: this.supervisorLogger }) as T;
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    if (this.concurrency === 1 && !this.topics) return super.bindEvents(consumer);
    const handled = [...this.messageHandlers.keys()];
    const topics = this.topics ? handled.filter((t) => this.topics!.includes(t)) : handled;
    if (topics.length > 0) await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics });
    this.commitTimer ??= setInterval(() => void this.commitDone(), 200);
    await consumer.run({
      ...(this.options.run ?? {}),
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.dispatchBatch(payload),
    });
  }

  override async close(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (this.running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    clearInterval(this.commitTimer);
    this.commitTimer = undefined;
    await this.commitDone();
    await super.close();
  }

  /**
   * Pipelined: every command of the batch is started (up to `concurrency` across partitions) and the
   * fetch position moves past it at once, so new commands are fetched while slow ones run. Offsets
   * are committed separately, only up to the oldest command still running: after a crash or a
   * rebalance, what was not finished is delivered again (commands carry idempotency keys).
   */
  private async dispatchBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    const progress = this.partitionProgress(batch.topic, batch.partition);
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const offset = BigInt(message.offset);
      if (offset < progress.next) continue;
      while (this.running >= this.concurrency) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        await heartbeat().catch(() => undefined);
      }
      this.running++;
      progress.inFlight.add(offset);
      progress.next = offset + 1n;
      resolveOffset(message.offset);
      // In the command's own trace (its traceparent header), not the batch's: the reply Nest sends then
      // carries that trace back to the gateway.
      void withTraceparent(message.headers?.traceparent?.toString(), () =>
        this.handleMessage({ topic: batch.topic, partition: batch.partition, message: message as KafkaMessage, heartbeat, pause }),
      )
        .catch((err: Error) => this.supervisorLogger.error({ msg: 'command not handled', topic: batch.topic, offset: message.offset, error: err.message }))
        .finally(() => {
          progress.inFlight.delete(offset);
          progress.dirty = true;
          this.running--;
          this.waiting.shift()?.();
        });
    }
    await heartbeat();
  }

  private partitionProgress(topic: string, partition: number): PartitionProgress {
    const key = `${topic}\u0000${partition}`;
    let progress = this.progress.get(key);
    if (!progress) {
      progress = { topic, partition, next: -1n, inFlight: new Set(), dirty: false };
      this.progress.set(key, progress);
    }
    return progress;
  }

  /** Commits, per partition, the offset of the oldest command still running (or the next one). */
  private async commitDone(): Promise<void> {
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    for (const p of this.progress.values()) {
      if (!p.dirty || p.next < 0n) continue;
      p.dirty = false;
      const oldest = p.inFlight.size === 0 ? p.next : [...p.inFlight].reduce((a, b) => (b < a ? b : a));
      offsets.push({ topic: p.topic, partition: p.partition, offset: oldest.toString() });
    }
    if (offsets.length === 0 || !this.consumer) return;
    // After a rebalance this partition may be someone else's: a failed commit only means redelivery.
    await this.consumer.commitOffsets(offsets).catch(() => undefined);
  }
}

interface PartitionProgress {
  topic: string;
  partition: number;
  /** The next offset not yet started (-1: none seen). */
  next: bigint;
  inFlight: Set<bigint>;
  dirty: boolean;
}

/** The Nest Kafka client (the gateway's request/reply) with its reply consumer supervised. */
export class SupervisedClientKafka extends ClientKafka {
  constructor(
    options: KafkaTransportOptions,
    private readonly consumerName: string,
    private readonly supervisorLogger: LoggerService,
  ) {
    super(options);
  }

  override createClient<T = Kafka>(): T {
    return superviseConsumers(super.createClient<Kafka>(), this.consumerName, { logger: this.supervisorLogger }) as T;
  }
}
