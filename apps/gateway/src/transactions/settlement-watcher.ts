import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { EventEnvelope, TransactionEventData, TransactionPostedV1, TransactionVoidedV1, Topics } from '@tally/contracts';
import { createKafka, superviseConsumer } from '@tally/messaging';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';

export interface Settled {
  status: string;
  at: string;
}

/** How long a settlement is remembered for a request that starts waiting just after it (fraud can be faster than the reply). */
const REMEMBER_MS = 30_000;
const REMEMBER_MAX = 50_000;

/**
 * Learns from `ledger.events` when a held debit is posted or voided, so a request waiting for its
 * transaction's final state is answered the moment it is known, without asking the ledger again.
 * Every gateway replica reads the whole topic with a group of its own (a replica that joins or
 * leaves never stalls the others with a rebalance), from the newest event on: only requests in
 * flight wait for it.
 */
@Injectable()
export class SettlementWatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SettlementWatcher.name);
  private readonly waiting = new Map<string, Set<(settled: Settled) => void>>();
  private readonly recent = new Map<string, Settled & { until: number }>();
  private consumer: Consumer | undefined;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  async onModuleInit(): Promise<void> {
    const groupId = `gateway-settlements-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    const kafka = createKafka({ brokers: this.config.kafkaBrokers, clientId: 'gateway-settlements', sasl: this.config.kafkaSasl }, this.logger);
    this.consumer = superviseConsumer(
      kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 3000 }),
      'gateway-settlements',
      {
        logger: this.logger,
      },
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [Topics.ledgerEvents], fromBeginning: false });
    await this.consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.observe(message.value);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** The transaction's final state once it is posted or voided, or undefined when `ms` pass first. */
  wait(transactionId: string, ms: number): Promise<Settled | undefined> {
    const known = this.recent.get(transactionId);
    if (known && known.until > Date.now()) return Promise.resolve({ status: known.status, at: known.at });
    return new Promise((resolve) => {
      const waiters = this.waiting.get(transactionId) ?? new Set<(settled: Settled) => void>();
      const done = (settled: Settled | undefined) => {
        clearTimeout(timer);
        waiters.delete(onSettled);
        if (waiters.size === 0) this.waiting.delete(transactionId);
        resolve(settled);
      };
      const onSettled = (settled: Settled) => done(settled);
      const timer = setTimeout(() => done(undefined), Math.max(0, ms));
      waiters.add(onSettled);
      this.waiting.set(transactionId, waiters);
    });
  }

  private observe(value: Buffer | null): void {
    if (!value) return;
    let event: EventEnvelope<TransactionEventData>;
    try {
      event = JSON.parse(value.toString());
    } catch {
      return;
    }
    if (event?.type !== TransactionPostedV1.type && event?.type !== TransactionVoidedV1.type) return;
    const transactionId = event.data?.transactionId;
    if (typeof transactionId !== 'string') return;
    const settled = { status: String(event.data.status), at: String(event.occurredAt) };
    const now = Date.now();
    if (this.recent.size >= REMEMBER_MAX) for (const [id, s] of this.recent) if (s.until <= now || this.recent.size >= REMEMBER_MAX) this.recent.delete(id);
    this.recent.set(transactionId, { ...settled, until: now + REMEMBER_MS });
    for (const waiter of this.waiting.get(transactionId) ?? []) waiter(settled);
  }
}
