import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaRunning, LocalStack, recreateDatabase, REPO_ROOT } from '@tally/testing';
import Redis from 'ioredis';
import { STACK_CONTROL_PORT, STACK_ENV, TEST_DATABASE_URL, TEST_KAFKA, TEST_PORTS, TEST_REDIS_URL } from './stack-env';

/** Starts the six services on a fresh database against the test broker (tools/test.mjs starts that). */
export default async function globalSetup(): Promise<void> {
  if (!kafkaRunning(TEST_KAFKA)) {
    throw new Error(`No Kafka broker at ${TEST_KAFKA.brokers}: run the tests with npm test (it starts one)`);
  }
  await requireRedis(TEST_REDIS_URL);
  await recreateDatabase(TEST_DATABASE_URL);
  const logDir = join(REPO_ROOT, 'tmp', 'test-logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'stack.log');
  writeFileSync(logFile, '');
  const stack = new LocalStack({
    databaseUrl: TEST_DATABASE_URL,
    kafkaBrokers: TEST_KAFKA.brokers,
    ports: TEST_PORTS,
    env: STACK_ENV,
    onLine: (service, line) => appendFileSync(logFile, `[${service}] ${line}\n`),
  });
  // Before start: if its port is taken, setup fails without leaving six services running.
  await stack.serveControl(STACK_CONTROL_PORT);
  await stack.start();
  (globalThis as { __tallyStack?: LocalStack }).__tallyStack = stack;
}

/** The gateway fails open without Redis, so its rate-limit specs would prove nothing: refuse to start instead. */
async function requireRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(`No Redis at ${url} (${(err as Error).message}): start one, or point TEST_REDIS_URL at one`);
  } finally {
    redis.disconnect();
  }
}
