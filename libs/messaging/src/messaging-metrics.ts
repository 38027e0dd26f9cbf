import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { storeGauge } from '@tally/observability';
import { Messaging } from './messaging.module';

const METRICS_OPTIONS = Symbol('MESSAGING_METRICS_OPTIONS');

interface MessagingMetricsOptions {
  service: string;
  schema: string;
}

/**
 * The service's messaging as business metrics, read when scraped: the outbox backlog (rows not yet
 * published, and how old the oldest is) and the lag of each of its consumer groups (messages on the
 * broker they have not committed yet), summed per topic.
 */
@Injectable()
export class MessagingMetrics implements OnModuleInit, OnApplicationShutdown {
  private admin: Admin | undefined;

  constructor(
    @Inject(METRICS_OPTIONS) private readonly options: MessagingMetricsOptions,
    private readonly dataSource: DataSource,
    private readonly messaging: Messaging,
  ) {}

  onModuleInit(): void {
    const { schema, service } = this.options;
    let backlog: Promise<{ n: number; age: number }> | undefined;
    const readBacklog = () => {
      backlog ??= this.dataSource
        .query(
          `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age FROM "${schema}".outbox WHERE published_at IS NULL`,
        )
        .then((rows: { n: number; age: number }[]) => rows[0])
        .finally(() => setTimeout(() => (backlog = undefined), 5000));
      return backlog;
    };
    storeGauge({
      name: 'outbox_backlog',
      help: 'Outbox rows written but not yet published to Kafka',
      labelNames: [],
      read: async () => [{ labels: {}, value: (await readBacklog()).n }],
    });
    storeGauge({
      name: 'outbox_oldest_unpublished_seconds',
      help: 'Age of the oldest outbox row not yet published (0 when none waits)',
      labelNames: [],
      read: async () => [{ labels: {}, value: (await readBacklog()).age }],
    });
    storeGauge({
      name: 'kafka_consumer_lag',
      help: "Messages on the broker this service's consumer groups have not committed yet, per group and topic",
      labelNames: ['group', 'topic'],
      read: () => this.consumerLag(service),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
  }

  /** The groups are this service's: `<service>.<consumer>` for events and `<service>-commands`. */
  private async consumerLag(service: string): Promise<{ labels: { group: string; topic: string }; value: number }[]> {
    if (!this.admin) {
      this.admin = this.messaging.kafka.admin();
      await this.admin.connect();
    }
    const admin = this.admin;
    const { groups } = await admin.listGroups();
    const mine = groups.map((g) => g.groupId).filter((id) => id.startsWith(`${service}.`) || id === `${service}-commands`);
    const highs = new Map<string, Map<number, bigint>>();
    const high = async (topic: string) => {
      if (!highs.has(topic)) highs.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)])));
      return highs.get(topic) as Map<number, bigint>;
    };
    const samples: { labels: { group: string; topic: string }; value: number }[] = [];
    for (const group of mine) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group })) {
        const ends = await high(topic);
        let lag = 0n;
        for (const p of partitions) {
          const end = ends.get(p.partition) ?? 0n;
          // -1: nothing committed yet; the group starts from the beginning, so all of it waits.
          const committed = BigInt(p.offset) < 0n ? 0n : BigInt(p.offset);
          if (end > committed) lag += end - committed;
        }
        samples.push({ labels: { group, topic }, value: Number(lag) });
      }
    }
    return samples;
  }
}

/** Imported beside MessagingModule by every service that owns an outbox (libs/bootstrap's serviceInfrastructure). */
@Global()
@Module({})
export class MessagingMetricsModule {
  static forService(options: MessagingMetricsOptions): DynamicModule {
    return { module: MessagingMetricsModule, providers: [{ provide: METRICS_OPTIONS, useValue: options }, MessagingMetrics] };
  }
}
