/**
 * The whole money path over HTTP, as API consumers drive it: gateway → Kafka → ledger (PIN, limits,
 * hold) → fraud's decision over Kafka → the ledger posts → the gateway answers 201 (202 if fraud
 * is still deciding). Real PINs, real Idempotency-Keys, one broker and one Postgres.
 *   npm run bench:e2e   (env: BENCH_SECONDS=15 per case, BENCH_USERS=64, BENCH_CASES, BENCH_RATES=50,100)
 * Cases (BENCH_CASES, default all): closed-loop transfers and deposits at 16 and 64 clients
 * (autocannon: each client sends its next request when the last is answered), and open-loop
 * transfers at fixed rates (a request every 1/rate s whether or not earlier ones are answered, so a
 * slow answer cannot hide the queue behind it). Each case prints completed/s, p50/p95/p99 of the
 * answer, the answers by status, and each service's CPU seconds per 1,000 requests.
 * Starts its own broker (BENCH_KAFKA_PORT, 29092, fresh), services (BENCH_PORT_BASE, 28080) and
 * database (BENCH_DATABASE, tally_bench_e2e), so it never touches a dev or test stack.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ApiClient, daytimeZone, LocalStack, recreateDatabase, startKafka, stopKafka, testKafka } from '@tally/testing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const USERS = Number(process.env.BENCH_USERS ?? 64);
const CASES = (process.env.BENCH_CASES ?? 'transfers-16,transfers-64,deposits-16,deposits-64,open-transfers').split(',');
const RATES = (process.env.BENCH_RATES ?? '50,100').split(',').map(Number);
const DATABASE = `${process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432'}/${process.env.BENCH_DATABASE ?? 'tally_bench_e2e'}`;
const KAFKA_PORT = process.env.BENCH_KAFKA_PORT ?? '29092';
const KAFKA = testKafka({
  ...process.env,
  TEST_KAFKA_PORT: KAFKA_PORT,
  TEST_KAFKA_DATA_DIR: join(process.env.HOME ?? '/tmp', '.cache', 'tally-kafka', `bench-${KAFKA_PORT}`),
});
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 28080);
const PORTS = {
  gateway: PORT_BASE,
  identity: PORT_BASE + 1,
  ledger: PORT_BASE + 2,
  fraud: PORT_BASE + 3,
  analytics: PORT_BASE + 4,
  notification: PORT_BASE + 5,
};
const PIN = '2580';

interface User {
  token: string;
  walletId: string;
  walletNumber: string;
}

async function newUser(anonymous: ApiClient, i: number): Promise<User> {
  const email = `bench-${i}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'bench-password-1';
  const registered = await anonymous.post('/v1/auth/register', { email, password, fullName: `Bench ${i}` }, null);
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await anonymous.post('/v1/auth/login', { email, password }, null);
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  const api = anonymous.as(login.body.accessToken);
  const wallet = await api.post('/v1/wallets', { currency: 'USD', pin: PIN, dailyLimit: '20000', monthlyLimit: '600000', timeZone: daytimeZone() });
  if (wallet.status !== 201) throw new Error(`wallet: ${wallet.status} ${JSON.stringify(wallet.body)}`);
  const deposit = await api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '10000.00' });
  if (deposit.status !== 201) throw new Error(`deposit: ${deposit.status} ${JSON.stringify(deposit.body)}`);
  return { token: login.body.accessToken, walletId: wallet.body.id, walletNumber: wallet.body.walletNumber };
}

interface Request {
  path: string;
  token: string;
  body: Record<string, unknown>;
}

/** The n-th request of a case: each from a wallet in turn, to the next wallet along, one cent to one dollar. */
type RequestMaker = (n: number) => Request;

function transfers(users: User[]): RequestMaker {
  return (n) => {
    const from = users[n % users.length];
    const to = users[(n + 1 + Math.floor(n / users.length)) % users.length];
    const target = to === from ? users[(n + 1) % users.length] : to;
    return { path: '/v1/transfers', token: from.token, body: { fromWalletId: from.walletId, toWalletNumber: target.walletNumber, amount: '1.00', pin: PIN } };
  };
}

function deposits(users: User[]): RequestMaker {
  return (n) => {
    const to = users[n % users.length];
    return { path: `/v1/wallets/${to.walletId}/deposits`, token: to.token, body: { amount: '1.00' } };
  };
}

function headers(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
}

interface Result {
  completed: number;
  /** From the first request to the last answer: an open loop's queue drains after its offered SECONDS. */
  seconds: number;
  statuses: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
}

/** Closed loop: `clients` connections, each sending its next request once the last is answered. */
async function closedLoop(url: string, clients: number, make: RequestMaker): Promise<Result> {
  let n = 0;
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url,
    connections: clients,
    duration: SECONDS,
    // Keep-alive on every connection, as an app's HTTP client would.
    pipelining: 1,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = make(n++);
          return { ...req, path: r.path, headers: headers(r.token), body: JSON.stringify(r.body) };
        },
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  // autocannon's latency histogram has p50, p97_5 and p99; p95 is not among its fixed points, so p97.5 stands in.
  return { completed: statuses['201'] ?? 0, seconds: SECONDS, statuses, p50: result.latency.p50, p95: result.latency.p97_5, p99: result.latency.p99 };
}

/**
 * Open loop: a request every 1/rate s for SECONDS, each on its own, whatever the earlier ones are
 * doing. autocannon paces per connection, which waits for answers; this does not.
 */
async function openLoop(url: string, rate: number, make: RequestMaker): Promise<Result> {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const total = rate * SECONDS;
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const r = make(n);
    const sent = performance.now();
    inFlight.push(
      fetch(`${url}${r.path}`, { method: 'POST', headers: headers(r.token), body: JSON.stringify(r.body) })
        .then(async (res) => {
          await res.arrayBuffer();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          latencies.push(performance.now() - sent);
        })
        .catch(() => {
          statuses.error = (statuses.error ?? 0) + 1;
        }),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { completed: statuses['201'] ?? 0, seconds, statuses, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

function report(label: string, result: Result, cpu: Record<string, number>): void {
  const perThousand = Object.entries(cpu)
    .map(([service, seconds]) => `${service} ${((seconds * 1000) / Math.max(1, result.completed)).toFixed(1)}`)
    .join(', ');
  console.log(
    `${label.padEnd(34)}${(result.completed / result.seconds).toFixed(1).padStart(7)}/s  p50 ${result.p50.toFixed(0)} ms  p95 ${result.p95.toFixed(0)} ms  p99 ${result.p99.toFixed(0)} ms  ${JSON.stringify(result.statuses)}`,
  );
  console.log(`${''.padEnd(34)}CPU s per 1,000 completed: ${perThousand}`);
}

async function measured(stack: LocalStack, run: () => Promise<Result>): Promise<[Result, Record<string, number>]> {
  const before = stack.cpuSeconds();
  const result = await run();
  const after = stack.cpuSeconds();
  const used = Object.fromEntries(Object.entries(after).map(([name, seconds]) => [name, seconds - (before[name] ?? 0)]));
  return [result, used];
}

async function main(): Promise<void> {
  startKafka(KAFKA, { reset: true });
  await recreateDatabase(DATABASE);
  const stack = new LocalStack({
    databaseUrl: DATABASE,
    kafkaBrokers: KAFKA.brokers,
    ports: PORTS,
    env: {
      LOG_LEVEL: 'warn',
      SETTLE_WAIT_MS: '10000',
      COMMAND_TIMEOUT_MS: '15000',
      RATE_LIMIT_PER_USER: '0',
      RATE_LIMIT_PER_IP: '0',
      CREDENTIAL_RATE_LIMIT_PER_IP: '0',
      CREDENTIAL_RATE_LIMIT_PER_ACCOUNT: '0',
      RATE_LIMIT_KEY_PREFIX: 'tally-bench:rl:',
    },
  });
  try {
    await stack.start();
    const url = stack.url('gateway');
    const anonymous = new ApiClient(url);
    const users: User[] = [];
    // Sign-ups hash passwords one at a time in identity; a few at once keep it busy without a queue.
    for (let i = 0; i < USERS; i += 4) users.push(...(await Promise.all(Array.from({ length: Math.min(4, USERS - i) }, (_, k) => newUser(anonymous, i + k)))));
    console.log(`${USERS} users, ${SECONDS} s per case, over HTTP through the gateway, Kafka and fraud (real PINs)`);
    for (const name of CASES) {
      const [kind, clients] = name.split('-');
      if (kind === 'open') {
        for (const rate of RATES) {
          const [result, cpu] = await measured(stack, () => openLoop(url, rate, transfers(users)));
          report(`transfers, open loop ${rate}/s:`, result, cpu);
        }
        continue;
      }
      const make = kind === 'transfers' ? transfers(users) : kind === 'deposits' ? deposits(users) : undefined;
      if (!make || !Number(clients)) throw new Error(`unknown case ${name} (transfers-N, deposits-N, open-transfers)`);
      const [result, cpu] = await measured(stack, () => closedLoop(url, Number(clients), make));
      report(`${kind}, ${clients} clients:`, result, cpu);
    }
  } finally {
    await stack.stop();
    stopKafka(KAFKA);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
