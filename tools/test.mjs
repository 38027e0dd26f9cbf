// npm test: every tier in order (unit, int, e2e, resilience), or one: `node tools/test.mjs e2e`.
// Starts a dedicated test Kafka broker (fresh, port TEST_KAFKA_PORT, default 19092) unless one is
// already running there, and stops it again if it started it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ALL = ['unit', 'int', 'e2e', 'resilience'];
// Per-test time limits (a guard against hangs, not a speed assertion).
const TIMEOUT_MS = { unit: 30_000, int: 60_000, e2e: 60_000, resilience: 240_000 };
// Whole-tier limits, far above a normal run (unit 0.5, int 2.5, e2e 4, resilience 7 minutes here):
// a tier that hangs fails CI in minutes instead of holding it until its 90 minutes are gone.
const TIER_LIMIT_MS = { unit: 10 * 60_000, int: 20 * 60_000, e2e: 25 * 60_000, resilience: 25 * 60_000 };
const tiers = process.argv.length > 2 ? process.argv.slice(2) : ALL;
for (const t of tiers) if (!ALL.includes(t)) throw new Error(`unknown test tier "${t}" (one of ${ALL.join(', ')})`);

const port = Number(process.env.TEST_KAFKA_PORT ?? 19092);
const kafkaEnv = {
  ...process.env,
  TEST_KAFKA_PORT: String(port),
  KAFKA_PORT: String(port),
  KAFKA_CONTROLLER_PORT: String(port + 1),
  KAFKA_DATA_DIR: process.env.TEST_KAFKA_DATA_DIR ?? join(homedir(), '.cache', 'tally-kafka', `test-${port}`),
};
const script = (name, args = []) => execFileSync('bash', [join(root, 'deploy/local', name), ...args], { stdio: 'inherit', env: kafkaEnv });
const running = () => spawnSync('bash', [join(root, 'deploy/local/kafka-status.sh'), '-q'], { env: kafkaEnv }).status === 0;

const needsKafka = tiers.some((t) => t !== 'unit');
let startedKafka = false;
let failed = false;
const counts = { passed: 0, failed: 0 };
const resultsDir = join(root, 'tmp', 'test-results');
mkdirSync(resultsDir, { recursive: true });
const started = Date.now();
try {
  if (needsKafka && !running()) {
    script('kafka-start.sh', ['--reset']);
    startedKafka = true;
  }
  if (tiers.includes('e2e') || tiers.includes('resilience')) execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { stdio: 'inherit' });
  for (const tier of tiers) {
    const args = [join(root, 'node_modules/jest/bin/jest.js'), '--selectProjects', tier, '--testTimeout', String(TIMEOUT_MS[tier])];
    // forceExit: a handle left open by a failed spec (a socket, a timer) must not keep Jest alive after its results.
    if (tier !== 'unit') args.push('--runInBand', '--forceExit');
    // TEST_FILES=a,b narrows a run to some spec files (path patterns), e.g. while working on one feature.
    if (process.env.TEST_FILES) args.push(...process.env.TEST_FILES.split(','));
    const resultsFile = join(resultsDir, `${tier}.json`);
    args.push('--json', '--outputFile', resultsFile);
    console.log(`\n=== ${tier} tests ===`);
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: kafkaEnv, timeout: TIER_LIMIT_MS[tier], killSignal: 'SIGTERM' });
    if (result.error?.code === 'ETIMEDOUT') console.error(`${tier} tests stopped: still running after ${TIER_LIMIT_MS[tier] / 60_000} minutes`);
    try {
      const summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
      counts.passed += summary.numPassedTests;
      counts.failed += summary.numFailedTests;
      if (summary.numTotalTests === 0) failed = true;
    } catch {
      counts.failed += 1;
    }
    if (result.status !== 0) {
      failed = true;
      console.error(`${tier} tests failed (exit ${result.status})`);
      break;
    }
  }
} finally {
  if (startedKafka) script('kafka-stop.sh');
  console.log(`\ntest tiers ${tiers.join(', ')} ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`tests: ${counts.passed} passed, ${counts.failed} failed`);
}
process.exit(failed ? 1 : 0);
