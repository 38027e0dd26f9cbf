import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { kafkaRunning, LocalStack, recreateDatabase, REPO_ROOT, SmtpSink } from '@tally/testing';
import Redis from 'ioredis';
import { STACK_CONTROL_PORT, STACK_ENV, TEST_DATABASE_URL, TEST_KAFKA, TEST_MAIL_SPOOL, TEST_PORTS, TEST_REDIS_URL, TEST_SMTP_PORT } from './stack-env';

/** Starts the six services on a fresh database against the test broker (tools/test.mjs starts that). */
export default async function globalSetup(_globalConfig: unknown, project?: { displayName?: string | { name: string } }): Promise<void> {
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
  // A real SMTP server for notification's mail; specs read what it received from its spool.
  rmSync(TEST_MAIL_SPOOL, { recursive: true, force: true });
  const mail = new SmtpSink({ port: TEST_SMTP_PORT, spoolDir: TEST_MAIL_SPOOL });
  await mail.start();
  (globalThis as { __tallyMail?: SmtpSink }).__tallyMail = mail;
  await stack.start();
  (globalThis as { __tallyStack?: LocalStack }).__tallyStack = stack;
  // Resident memory right after start-up (idle), for the deployment's requests and limits (docs/operations.md).
  const tier = typeof project?.displayName === 'object' ? project.displayName.name : (project?.displayName ?? 'stack');
  (globalThis as { __tallyTier?: string }).__tallyTier = tier;
  writeFileSync(join(logDir, `memory-${tier}.json`), JSON.stringify({ idle: stack.memory() }, null, 2));
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
