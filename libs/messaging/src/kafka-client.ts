import { Admin, Kafka, logLevel, LogEntry, Partitioners, Producer, KafkaConfig, SASLOptions } from 'kafkajs';
import type { LoggerService } from '@nestjs/common';

/** SASL credentials of a Kafka principal (each service has its own: docs/security.md, "The bus"). */
export interface KafkaSasl {
  mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  username: string;
  password: string;
}

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  /** Unset: no authentication (a broker that does not ask for it). */
  sasl?: KafkaSasl;
}

/** How topics this process creates are replicated (KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS). */
export interface TopicReplication {
  replicationFactor: number;
  minInsyncReplicas: number;
}

/** One broker, as on a development machine and in the test tiers. */
export const SINGLE_BROKER: TopicReplication = { replicationFactor: 1, minInsyncReplicas: 1 };

/** kafkajs log entries go through the service's JSON logger instead of kafkajs' own console output. */
export function kafkaLogCreator(logger: LoggerService) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const entry = { msg: message, ...extra };
      // Rebalances and a broker still loading are routine (kafkajs retries them) but reported as errors;
      // so is a topic another service created first (createTopics then throws only for a real failure).
      const routine =
        /rebalanc|coordinator is loading|coordinator is not available|not host this topic-partition|leadership election|topic creation errors/i.test(
          String(log.error ?? ''),
        );
      if (level === logLevel.ERROR && !routine) logger.error(entry);
      else if (level === logLevel.WARN || (level === logLevel.ERROR && routine)) logger.warn(entry);
      else logger.debug?.(entry);
    };
}

/** The one place a Kafka client's settings are made: every client of a service goes through it. */
export function kafkaClientConfig(connection: KafkaConnection, logger: LoggerService): KafkaConfig {
  return {
    clientId: connection.clientId,
    brokers: connection.brokers,
    ...(connection.sasl ? { sasl: { ...connection.sasl } as SASLOptions } : {}),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
  };
}

export function createKafka(connection: KafkaConnection, logger: LoggerService): Kafka {
  return new Kafka(kafkaClientConfig(connection, logger));
}

/** An idempotent producer: a broker-side retry never duplicates a message in a partition. */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 3000 },
  });
}

/**
 * Creates missing topics (commands, replies, events, dead letters) so no consumer races auto-creation.
 * A service passes its own topics (busTopicsOf): its principal may create those and no others.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], options: { numPartitions?: number; replication?: TopicReplication } = {}): Promise<void> {
  const { numPartitions = 3, replication = SINGLE_BROKER } = options;
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Only the topics this principal may describe are listed: the others look missing.
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((topic) => ({
            topic,
            numPartitions,
            replicationFactor: replication.replicationFactor,
            configEntries: [{ name: 'min.insync.replicas', value: String(replication.minInsyncReplicas) }],
          })),
        });
      } catch (err) {
        // Services starting together create the same topics: "already exists" (or one still being
        // created) is routine, and the wait below decides. Not being allowed to is not.
        const errors = (err as { errors?: unknown[] }).errors ?? [err];
        if (errors.some((e) => /AUTHORIZATION/i.test(String((e as { type?: string }).type ?? (e as Error).message)))) throw err;
      }
    }
    await waitForLeaders(admin, topics);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Until every partition of the topics has a leader: a topic another service has just created is
 * listed before it can be used, and a consumer or producer that meets it then fails its start-up.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let why = '';
  while (Date.now() < deadline) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      const leaderless = found.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0)).map((t) => t.name);
      if (found.length === topics.length && leaderless.length === 0) return;
      why = `no leader yet for ${leaderless.join(', ') || 'some topics'}`;
    } catch (err) {
      why = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Kafka topics not ready after ${timeoutMs} ms: ${why}`);
}
