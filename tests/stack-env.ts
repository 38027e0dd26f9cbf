import { testKafka } from '@tally/testing';

/** Where the test stack lives: its own database and its own broker, never the dev stack's. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tally_test';
export const TEST_KAFKA = testKafka();
export const TEST_PORTS = {
  gateway: 18080,
  identity: 18081,
  ledger: 18082,
  fraud: 18083,
  analytics: 18084,
  notification: 18085,
};
export const GATEWAY_URL = `http://127.0.0.1:${TEST_PORTS.gateway}`;
/** The test stack's control endpoint (LocalStack.serveControl): resilience specs kill -9 and restart a service through it. */
export const STACK_CONTROL_PORT = 18099;
export const STACK_CONTROL_URL = `http://127.0.0.1:${STACK_CONTROL_PORT}`;
export const STACK_ENV = {
  // Fast enough for tests; production values come from the environment.
  LOG_LEVEL: 'warn',
  SETTLE_WAIT_MS: '5000',
  COMMAND_TIMEOUT_MS: '8000',
  // The bootstrap admin identity creates at start-up (tests/e2e log in with it).
  TALLY_ADMIN_EMAIL: 'admin@tally.test',
  TALLY_ADMIN_PASSWORD: 'tally-admin-test-1',
};
