import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import type { BusService } from '@tally/contracts';
import { KafkaCredentials, provisionBusAccess } from './bus-provisioning';

/** The repository root, found from source (libs/testing/src) or from its build (dist/libs/testing/src). */
export const REPO_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'deploy', 'local', 'kafka-start.sh'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${from}`);
    dir = parent;
  }
  return dir;
}

export interface LocalKafka {
  /** host:port for KAFKA_BROKERS. */
  brokers: string;
  port: number;
  controllerPort: number;
  dataDir: string;
  /** The admin super user (provisioning, test helpers that read or write any topic). */
  sasl: KafkaCredentials;
}

/**
 * A principal of the local broker (deploy/local/kafka-env.sh creates them): `tally-admin` or
 * `tally-<service>`, with the password KAFKA_<NAME>_PASSWORD or the DEVELOPMENT-ONLY default
 * `tally-<name>-dev-password` (the same rule as kafka-env.sh's kafka_password).
 */
export function localKafkaSasl(principal: 'admin' | BusService, env: NodeJS.ProcessEnv = process.env): KafkaCredentials {
  return {
    mechanism: 'scram-sha-512',
    username: `tally-${principal}`,
    password: env[`KAFKA_${principal.toUpperCase()}_PASSWORD`] || `tally-${principal}-dev-password`,
  };
}

export type TestKafkaOptions = { kafka?: LocalKafka; sasl?: KafkaCredentials | null } & Omit<Partial<KafkaConfig>, 'sasl'>;

/** kafkajs settings for the test broker, as the admin unless `sasl` names another principal (or none: `null`). */
export function testKafkaConfig(clientId: string, options: TestKafkaOptions = {}): KafkaConfig {
  const { kafka = testKafka(), sasl, ...config } = options;
  const credentials = sasl === undefined ? kafka.sasl : (sasl ?? undefined);
  return {
    clientId,
    brokers: [kafka.brokers],
    logLevel: logLevel.NOTHING,
    ...(credentials ? { sasl: { ...credentials } as KafkaConfig['sasl'] } : {}),
    ...config,
  };
}

/** A kafkajs client of the test broker (see testKafkaConfig). */
export function testKafkaClient(clientId: string, options: TestKafkaOptions = {}): Kafka {
  return new Kafka(testKafkaConfig(clientId, options));
}

/** Grants every service's principal its ACLs on a local broker (busAccess) and creates every topic, as its admin. Idempotent. */
export async function provisionLocalBus(brokers: string, admin: KafkaCredentials = localKafkaSasl('admin')): Promise<void> {
  const client = new Kafka({
    clientId: 'tally-bus-provisioning',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    sasl: { ...admin } as KafkaConfig['sasl'],
  }).admin();
  await client.connect();
  try {
    await provisionBusAccess(client);
  } finally {
    await client.disconnect();
  }
}

/** The broker the test tiers use: its own port and data dir, so tests never share a dev broker's topics. */
export function testKafka(env: NodeJS.ProcessEnv = process.env): LocalKafka {
  const port = Number(env.TEST_KAFKA_PORT ?? 19092);
  const home = env.HOME ?? '/tmp';
  return {
    brokers: `127.0.0.1:${port}`,
    port,
    controllerPort: port + 1,
    dataDir: env.TEST_KAFKA_DATA_DIR ?? join(home, '.cache', 'tally-kafka', `test-${port}`),
    sasl: localKafkaSasl('admin', env),
  };
}

function script(kafka: LocalKafka, name: string, args: string[] = []): void {
  execFileSync('bash', [join(REPO_ROOT, 'deploy', 'local', name), ...args], {
    stdio: 'inherit',
    env: {
      ...process.env,
      KAFKA_PORT: String(kafka.port),
      KAFKA_CONTROLLER_PORT: String(kafka.controllerPort),
      KAFKA_DATA_DIR: kafka.dataDir,
    },
  });
}

export function kafkaRunning(kafka: LocalKafka): boolean {
  try {
    execFileSync('bash', [join(REPO_ROOT, 'deploy', 'local', 'kafka-status.sh'), '-q'], {
      stdio: 'ignore',
      env: { ...process.env, KAFKA_PORT: String(kafka.port), KAFKA_CONTROLLER_PORT: String(kafka.controllerPort), KAFKA_DATA_DIR: kafka.dataDir },
    });
    return true;
  } catch {
    return false;
  }
}

export function startKafka(kafka: LocalKafka, options: { reset?: boolean } = {}): void {
  script(kafka, 'kafka-start.sh', options.reset ? ['--reset'] : []);
}

export function stopKafka(kafka: LocalKafka): void {
  script(kafka, 'kafka-stop.sh');
}

/**
 * A test database on the local server, named `<TEST_DB_PREFIX>_<name>` (prefix `tally` by default),
 * so two checkouts testing at once never share one. TEST_DATABASE_SERVER moves the server.
 */
export function testDatabaseUrl(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const server = env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
  return `${server}/${env.TEST_DB_PREFIX ?? 'tally'}_${name}`;
}
