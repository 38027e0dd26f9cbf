import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
