import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaRunning, LocalStack, recreateDatabase, REPO_ROOT } from '@tally/testing';
import { STACK_CONTROL_PORT, STACK_ENV, TEST_DATABASE_URL, TEST_KAFKA, TEST_PORTS } from './stack-env';

/** Starts the six services on a fresh database against the test broker (tools/test.mjs starts that). */
export default async function globalSetup(): Promise<void> {
  if (!kafkaRunning(TEST_KAFKA)) {
    throw new Error(`No Kafka broker at ${TEST_KAFKA.brokers}: run the tests with npm test (it starts one)`);
  }
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
