import { join } from 'node:path';
import { REPO_ROOT, testDatabaseUrl, testKafka } from '@tally/testing';

/** Where the test stack lives: its own database and its own broker, never the dev stack's. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? testDatabaseUrl('test');
export const TEST_KAFKA = testKafka();
/** TEST_PORT_BASE moves the whole test stack (gateway at the base, the others after it), so two checkouts can test at once. */
const PORT_BASE = Number(process.env.TEST_PORT_BASE ?? 18080);
export const TEST_PORTS = {
  gateway: PORT_BASE,
  identity: PORT_BASE + 1,
  ledger: PORT_BASE + 2,
  fraud: PORT_BASE + 3,
  analytics: PORT_BASE + 4,
  notification: PORT_BASE + 5,
};
export const GATEWAY_URL = `http://127.0.0.1:${TEST_PORTS.gateway}`;
/** The OTLP/HTTP receiver tests/e2e/tracing.e2e-spec.ts listens on while it runs; the stack exports its spans there. */
export const OTLP_PORT = PORT_BASE + 18;
/** The test stack's control endpoint (LocalStack.serveControl): resilience specs kill -9 and restart a service through it. */
export const STACK_CONTROL_PORT = PORT_BASE + 19;
export const STACK_CONTROL_URL = `http://127.0.0.1:${STACK_CONTROL_PORT}`;
/**
 * The SMTP sink the test stack's notification sends to (tests/stack.global-setup.ts), and where it
 * spools what it received. Below +10: replicas take every REPLICA_PORT_STEP (20) from each service's
 * port (notification-2 is +25), and the rate-limit spec's gateways +10 to +12.
 */
export const TEST_SMTP_PORT = PORT_BASE + 9;
export const TEST_MAIL_SPOOL = join(REPO_ROOT, 'tmp', 'test-mail', String(TEST_SMTP_PORT));
/** The gateways' rate-limit counters (TEST_REDIS_URL; give each checkout its own database index). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const STACK_ENV = {
  // Fast enough for tests; production values come from the environment.
  LOG_LEVEL: 'warn',
  // Spans go to the tracing spec's receiver (nothing listens there during the other specs), often.
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${OTLP_PORT}`,
  OTEL_BSP_SCHEDULE_DELAY: '500',
  SETTLE_WAIT_MS: '5000',
  COMMAND_TIMEOUT_MS: '8000',
  // Webhook receivers in e2e specs listen on 127.0.0.1 over http (dev hosts only); retries come fast.
  WEBHOOK_DEV_HOSTS: '127.0.0.1,localhost',
  WEBHOOK_RETRY_BASE_MS: '300',
  WEBHOOK_POLL_MS: '100',

  // The bootstrap admin identity creates at start-up (tests/e2e log in with it).
  TALLY_ADMIN_EMAIL: 'admin@tally.test',
  TALLY_ADMIN_PASSWORD: 'tally-admin-test-1',
  // Its TOTP seed (development and tests only): specs compute the admin's codes from it (logInAdmin).
  TALLY_ADMIN_TOTP_SECRET: 'KRAWYTCZEFGVGVCVIRUU2MKBKJDEWRCB',
  // Notification sends over SMTP to the suite's sink; retries come fast.
  SMTP_URL: `smtp://127.0.0.1:${TEST_SMTP_PORT}`,
  EMAIL_POLL_MS: '100',
  EMAIL_RETRY_BASE_MS: '300',
  // Password checks: the suite logs in far more often than a person; credential-rate-limit specs start gateways of their own.
  CREDENTIAL_RATE_LIMIT_PER_ACCOUNT: '1000000',
  CREDENTIAL_RATE_LIMIT_PER_IP: '1000000',
  // A password check may wait for the hashing pool until just before the gateway gives up on it (COMMAND_TIMEOUT_MS).
  PASSWORD_HASH_QUEUE_TIMEOUT_MS: '7000',
  REDIS_URL: TEST_REDIS_URL,
  // Every spec calls from 127.0.0.1: the stack's limits stay out of their way (rate-limit.e2e-spec
  // starts gateways of its own with low limits); keys carry the port base so two checkouts never share counts.
  RATE_LIMIT_KEY_PREFIX: `tally-test-${PORT_BASE}:rl:`,
  RATE_LIMIT_PER_IP: '1000000',
  RATE_LIMIT_PER_USER: '1000000',
  RATE_LIMIT_PER_API_KEY: '1000000',
  // Short enough that identity specs can watch an emailed token expire.
  EMAIL_VERIFICATION_TTL_SECONDS: '10',
  PASSWORD_RESET_TTL_SECONDS: '10',
};
