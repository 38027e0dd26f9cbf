import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage } from 'kafkajs';
import { waitFor } from './local-stack';

export interface TopicMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Every message of a topic from its beginning up to its end as of the call, read by a fresh
 * consumer group (so no service's group offsets are touched).
 */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<TopicMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  // The last offset wanted per partition; an empty partition is already done.
  const pending = new Map(ends.filter((e) => Number(e.high) > Number(e.low)).map((e) => [e.partition, BigInt(e.high) - 1n]));
  const messages: TopicMessage[] = [];
  if (pending.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const last = pending.get(partition);
        if (last === undefined || BigInt(message.offset) > last) return;
        messages.push(toTopicMessage(partition, message));
        if (BigInt(message.offset) === last) pending.delete(partition);
        if (pending.size === 0) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`reading ${topic}: partitions ${[...pending.keys()].join(', ')} not read to the end in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    await Promise.race([finished, timedOut]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** Waits until each consumer group has committed up to the end of every partition of the topic. */
export async function waitForConsumerGroups(kafka: Kafka, groups: string[], topic: string, timeoutMs = 60_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const groupId of groups) {
      await waitFor(
        async () => {
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
          // An empty partition has nothing to commit (its committed offset stays -1).
          const behind = ends.filter((end) => {
            const c = committed.partitions.find((p) => p.partition === end.partition);
            return Number(end.high) > 0 && Number(c?.offset ?? -1) < Number(end.high);
          });
          return behind.length === 0 ? true : undefined;
        },
        { timeoutMs, intervalMs: 250, what: `${groupId} to catch up on ${topic}` },
      );
    }
  } finally {
    await admin.disconnect();
  }
}

function toTopicMessage(partition: number, message: KafkaMessage): TopicMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = value.toString();
  return { partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers };
}
