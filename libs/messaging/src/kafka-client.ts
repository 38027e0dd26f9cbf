import { Kafka, logLevel, LogEntry, Partitioners, Producer, KafkaConfig } from 'kafkajs';
import type { LoggerService } from '@nestjs/common';

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

/** kafkajs log entries go through the service's JSON logger instead of kafkajs' own console output. */
export function kafkaLogCreator(logger: LoggerService) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const entry = { msg: message, ...extra };
      // Rebalances and a broker still loading are routine (kafkajs retries them) but reported as errors;
      // so is a topic another service created first (createTopics then throws only for a real failure).
      const routine = /rebalanc|coordinator is loading|coordinator is not available|not host this topic-partition|leadership election|topic creation errors/i.test(
        String(log.error ?? ''),
      );
      if (level === logLevel.ERROR && !routine) logger.error(entry);
      else if (level === logLevel.WARN || (level === logLevel.ERROR && routine)) logger.warn(entry);
      else logger.debug?.(entry);
    };
}

export function kafkaClientConfig(connection: KafkaConnection, logger: LoggerService): KafkaConfig {
  return {
    clientId: connection.clientId,
    brokers: connection.brokers,
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

/** Creates missing topics (commands, replies, events, dead letters) so no consumer races auto-creation. */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
