/**
 * Transfers end to end: HTTP → gateway → Kafka → ledger (PIN, limits, pending entry) → fraud's
 * decision over Kafka → ledger posts → the gateway answers 201 (or 202 if still pending).
 *   npm run bench:e2e        (env: BENCH_SECONDS=20, BENCH_CLIENTS=16, BENCH_USERS=16)
 * Starts its own Kafka broker (port 29092, fresh) and the six services on their own ports and
 * database, so it never touches a dev or test stack. Prints transfers/s, p50/p99, how many came
 * back completed vs pending, and, for scale, what one PIN check (scrypt) costs on this machine.
 * BENCH_CASES picks the cases (default transfers,deposits; also purchases: fraud's added latency,
 * from each purchase's hold to its posting, read from the database). BENCH_KAFKA_PORT (29092),
 * BENCH_PORT_BASE (28080) and BENCH_DATABASE (tally_bench_e2e) move it, so two benches can run at once.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { hashSecret, verifySecret } from '@tally/auth';
import { ApiClient, ApiResponse, daytimeZone, LocalStack, recreateDatabase, startKafka, stopKafka, testKafka } from '@tally/testing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const USERS = Number(process.env.BENCH_USERS ?? 16);
const CASES = (process.env.BENCH_CASES ?? 'transfers,deposits').split(',');
const DATABASE = `${process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432'}/${process.env.BENCH_DATABASE ?? 'tally_bench_e2e'}`;
const KAFKA_PORT = process.env.BENCH_KAFKA_PORT ?? '29092';
const KAFKA = testKafka({ ...process.env, TEST_KAFKA_PORT: KAFKA_PORT, TEST_KAFKA_DATA_DIR: join(process.env.HOME ?? '/tmp', '.cache', 'tally-kafka', `bench-${KAFKA_PORT}`) });
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 28080);
const PORTS = {
  gateway: PORT_BASE,
  identity: PORT_BASE + 1,
  ledger: PORT_BASE + 2,
  fraud: PORT_BASE + 3,
  analytics: PORT_BASE + 4,
  notification: PORT_BASE + 5,
};

interface User {
  api: ApiClient;
  walletId: string;
  walletNumber: string;
}

async function newUser(anonymous: ApiClient, i: number): Promise<User> {
  const email = `bench-${i}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'bench-password-1';
  const registered = await anonymous.post('/v1/auth/register', { email, password, fullName: `Bench ${i}` }, null);
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await anonymous.post('/v1/auth/login', { email, password }, null);
  const api = anonymous.as(login.body.accessToken);
  const wallet = await api.post('/v1/wallets', { currency: 'USD', pin: '1234', dailyLimit: '1000000', monthlyLimit: '1000000', timeZone: daytimeZone() });
  if (wallet.status !== 201) throw new Error(`wallet: ${wallet.status} ${JSON.stringify(wallet.body)}`);
  const deposit = await api.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '10000.00' });
  if (deposit.status !== 201) throw new Error(`deposit: ${deposit.status} ${JSON.stringify(deposit.body)}`);
  return { api, walletId: wallet.body.id, walletNumber: wallet.body.walletNumber };
}

interface Run {
  latencies: number[];
  outcomes: Record<string, number>;
  /** Transaction ids of the answers (201 or 202). */
  ids: string[];
}

/** CLIENTS concurrent loops for SECONDS; only 201 answers count as done (their latency is kept). */
async function drive(users: User[], call: (from: User, to: User, i: number) => Promise<ApiResponse<{ id?: string; status?: string; error?: string }>>): Promise<Run> {
  const run: Run = { latencies: [], outcomes: {}, ids: [] };
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = client; Date.now() < deadline; i += CLIENTS) {
        const from = users[i % USERS];
        const to = users[(i + 1 + (client % (USERS - 1))) % USERS];
        const started = process.hrtime.bigint();
        const res = await call(from, to, i);
        const key = res.status === 201 || res.status === 202 ? `${res.status} ${res.body.status}` : `${res.status} ${res.body?.error}`;
        if ((res.status === 201 || res.status === 202) && res.body.id) run.ids.push(res.body.id);
        run.outcomes[key] = (run.outcomes[key] ?? 0) + 1;
        if (res.status === 201) run.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  run.latencies.sort((a, b) => a - b);
  return run;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function report(label: string, run: Run): void {
  const at = (q: number) => quantile(run.latencies, q);
  console.log(
    `${label.padEnd(38)}${(run.latencies.length / SECONDS).toFixed(1).padStart(7)}/s  p50 ${at(0.5).toFixed(0)} ms  p99 ${at(0.99).toFixed(0)} ms  ${JSON.stringify(run.outcomes)}`,
  );
}

async function pinCheckMs(): Promise<number> {
  const hash = await hashSecret('1234');
  const runs = 10;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await verifySecret('1234', hash);
  return Number(process.hrtime.bigint() - started) / 1e6 / runs;
}

/**
 * What fraud adds to the money path, per purchase, from the services' own timestamps (one machine,
 * one clock): held → fraud starts scoring (ledger outbox relay, Kafka), and held → posted (that,
 * plus scoring, fraud's outbox relay, Kafka back and the ledger's settlement).
 */
async function reportScoringLatency(ids: string[]): Promise<void> {
  const db = await new DataSource({ type: 'postgres', url: DATABASE }).initialize();
  try {
    const rows: { to_scoring: number; to_posted: number }[] = await db.query(
      `SELECT extract(epoch FROM s.created_at - t.created_at) * 1000 AS to_scoring, extract(epoch FROM t.completed_at - t.created_at) * 1000 AS to_posted
         FROM ledger.transactions t JOIN fraud.scores s ON s.transaction_id = t.id
        WHERE t.id = ANY($1::uuid[]) AND t.status = 'completed'`,
      [ids],
    );
    const sorted = (key: 'to_scoring' | 'to_posted') => rows.map((r) => Number(r[key])).sort((a, b) => a - b);
    const line = (label: string, values: number[]) =>
      console.log(`${label.padEnd(38)}p50 ${quantile(values, 0.5).toFixed(0)} ms  p99 ${quantile(values, 0.99).toFixed(0)} ms  (${values.length} purchases)`);
    line('  held → fraud starts scoring:', sorted('to_scoring'));
    line('  held → posted (fraud round trip):', sorted('to_posted'));
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  startKafka(KAFKA, { reset: true });
  await recreateDatabase(DATABASE);
  const stack = new LocalStack({
    databaseUrl: DATABASE,
    kafkaBrokers: KAFKA.brokers,
    ports: PORTS,
    env: { LOG_LEVEL: 'warn', SETTLE_WAIT_MS: '10000', COMMAND_TIMEOUT_MS: '15000' },
  });
  try {
    await stack.start();
    const anonymous = new ApiClient(stack.url('gateway'));
    const users: User[] = [];
    for (let i = 0; i < USERS; i++) users.push(await newUser(anonymous, i));
    console.log(`clients ${CLIENTS}, users ${USERS}, ${SECONDS} s per case, through the gateway and Kafka`);
    if (CASES.includes('transfers')) {
      const transfers = await drive(users, (from, to) =>
        from.api.post('/v1/transfers', { fromWalletId: from.walletId, toWalletNumber: to.walletNumber, amount: '1.00', pin: '1234' }),
      );
      report('transfers (PIN, hold, fraud, post):', transfers);
    }
    if (CASES.includes('deposits')) {
      // The same path without the PIN's KDF and without fraud's round trip: deposits post at once.
      const deposits = await drive(users, (to) => to.api.post(`/v1/wallets/${to.walletId}/deposits`, { amount: '1.00' }));
      report('deposits (posted at once, no PIN):', deposits);
    }
    if (CASES.includes('purchases')) {
      // Distinct merchants and amounts so the duplicate rule stays quiet; every purchase is approved.
      const purchases = await drive(users, (from, _to, i) =>
        from.api.post('/v1/payments', { walletId: from.walletId, amount: `1.${String(i % 100).padStart(2, '0')}`, merchantName: `Bench shop ${i}`, merchantCategory: 'shopping', pin: '1234' }),
      );
      report('purchases (PIN, hold, fraud, post):', purchases);
      await reportScoringLatency(purchases.ids);
    }
    const pin = await pinCheckMs();
    console.log(`one PIN check (scrypt N=2^17, r=8): ${pin.toFixed(0)} ms of CPU here, so at most ${(2000 / pin).toFixed(1)} PIN checks/s on 2 cores`);
  } finally {
    await stack.stop();
    stopKafka(KAFKA);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
