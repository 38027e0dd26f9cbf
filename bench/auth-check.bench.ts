/**
 * What the gateway's session check costs: GET /v1/wallets with a Bearer token, with identity asked
 * on every request (AUTH_CACHE_MS=0) and with the default 5 s cache, and the same through X-API-Key.
 *   node tools/build.mjs && node dist/bench/auth-check.bench.js
 *   (env: BENCH_REQUESTS=300, BENCH_KAFKA_PORT=29092, BENCH_PORT_BASE=28080, BENCH_DATABASE=<url>)
 * Starts the six services on their own ports and database (and a fresh broker unless one runs on the port).
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApiClient, kafkaRunning, LocalStack, recreateDatabase, startKafka, stopKafka, testKafka } from '@tally/testing';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const KAFKA_PORT = process.env.BENCH_KAFKA_PORT ?? '29092';
const BASE = Number(process.env.BENCH_PORT_BASE ?? 28080);
const DATABASE = process.env.BENCH_DATABASE ?? 'postgres://postgres@127.0.0.1:5432/tally_bench_auth';
const KAFKA = testKafka({
  ...process.env,
  TEST_KAFKA_PORT: KAFKA_PORT,
  TEST_KAFKA_DATA_DIR: join(process.env.HOME ?? '/tmp', '.cache', 'tally-kafka', `bench-${KAFKA_PORT}`),
});
const PORTS = { gateway: BASE, identity: BASE + 1, ledger: BASE + 2, fraud: BASE + 3, analytics: BASE + 4, notification: BASE + 5 };

async function timeRequests(call: () => Promise<{ status: number }>): Promise<{ p50: number; p99: number; mean: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = process.hrtime.bigint();
    const res = await call();
    if (res.status !== 200) throw new Error(`answered ${res.status}`);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p99: at(0.99), mean: latencies.reduce((a, b) => a + b, 0) / latencies.length };
}

async function main(): Promise<void> {
  // Uses a broker already running on that port (and leaves it running), else starts a fresh one.
  const startedKafka = !kafkaRunning(KAFKA);
  if (startedKafka) startKafka(KAFKA, { reset: true });
  await recreateDatabase(DATABASE);
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn', AUTH_CACHE_MS: '0' };
  const stack = new LocalStack({ databaseUrl: DATABASE, kafkaBrokers: KAFKA.brokers, ports: PORTS, env });
  try {
    await stack.start();
    const anonymous = new ApiClient(`http://127.0.0.1:${PORTS.gateway}`);
    const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
    await anonymous.post('/v1/auth/register', { email, password: 'bench password 1', fullName: 'Bench' }, null);
    const login = await anonymous.post('/v1/auth/login', { email, password: 'bench password 1' }, null);
    const api = anonymous.as(login.body.accessToken);
    await api.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    const { body: key } = await api.post('/v1/me/api-keys', { name: 'bench', scopes: ['wallets:read'] });
    const byKey = () => anonymous.request('GET', '/v1/wallets', undefined, { 'X-API-Key': key.key });

    const rows: [string, Awaited<ReturnType<typeof timeRequests>>][] = [];
    await timeRequests(() => api.get('/v1/wallets'));
    rows.push(['Bearer, identity asked every request', await timeRequests(() => api.get('/v1/wallets'))]);
    rows.push(['X-API-Key, identity asked every request', await timeRequests(byKey)]);
    await stack.stopService('gateway');
    env.AUTH_CACHE_MS = '5000';
    stack.startService('gateway');
    await stack.waitReady('gateway');
    await timeRequests(() => api.get('/v1/wallets'));
    rows.push(['Bearer, AUTH_CACHE_MS=5000', await timeRequests(() => api.get('/v1/wallets'))]);
    rows.push(['X-API-Key, AUTH_CACHE_MS=5000', await timeRequests(byKey)]);
    console.log(`GET /v1/wallets, ${REQUESTS} sequential requests each`);
    for (const [label, r] of rows) {
      console.log(`${label.padEnd(42)} mean ${r.mean.toFixed(1)} ms  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`);
    }
  } finally {
    await stack.stop();
    if (startedKafka) stopKafka(KAFKA);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
