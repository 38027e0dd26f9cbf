/**
 * Ledger transfers against PostgreSQL's own TPC-B (pgbench), measured in one run on the same server.
 *   npm run bench            (env: BENCH_SECONDS=20, BENCH_CLIENTS=32, BENCH_WALLETS=64)
 * Prints pgbench tps, ledger transfers/s with p50/p99 latency for the spread case (random pairs among
 * many wallets) and the hot case (every transfer credits one merchant wallet), each with one
 * database transaction per command and with concurrent commands batched (BENCH_BATCH_MAX,
 * BENCH_BATCH_LANES), and the ratios.
 * A "transfer" here is what the ledger does for a completed one: the pending entry (locks, limits,
 * funds, journal, outbox) and then fraud's approval (post entry). PIN checks (scrypt) and Kafka are
 * outside this path; they are measured end to end elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { uuidv7 } from '@tally/contracts';
import { recreateDatabase } from '@tally/testing';
import { LedgerHarness, HARNESS_PIN } from '../apps/ledger/src/testing/ledger-harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const WALLETS = Number(process.env.BENCH_WALLETS ?? 64);
const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const BATCHING = { COMMAND_BATCH_MAX: process.env.BENCH_BATCH_MAX ?? '64', COMMAND_BATCH_LANES: process.env.BENCH_BATCH_LANES ?? '2' };
const UNBATCHED = { COMMAND_BATCH_MAX: '1', COMMAND_BATCH_LANES: String(CLIENTS) };

async function pgbench(): Promise<number> {
  const url = `${SERVER}/tally_bench_pgbench`;
  await recreateDatabase(url);
  const bin = process.env.PGBENCH ?? findPgbench();
  execFileSync(bin, ['-i', '-q', '-s', '10', url], { stdio: 'ignore' });
  const out = execFileSync(bin, ['-n', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), url]).toString();
  const tps = /tps = ([\d.]+)/.exec(out);
  if (!tps) throw new Error(`no tps in pgbench output:\n${out}`);
  return Number(tps[1]);
}

function findPgbench(): string {
  for (const candidate of ['pgbench', ...['17', '16', '15', '14'].map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`)]) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next
    }
  }
  throw new Error('pgbench not found (install postgresql-contrib or set PGBENCH)');
}

interface Result {
  perSecond: number;
  p50: number;
  p99: number;
  refused: number;
}

async function ledgerCase(name: 'spread' | 'hot', batching: NodeJS.ProcessEnv = UNBATCHED): Promise<Result> {
  const url = `${SERVER}/tally_bench_ledger_${name}`;
  await recreateDatabase(url);
  const ledger = await LedgerHarness.open(url, CLIENTS + 4, batching);
  try {
    const wallets: Awaited<ReturnType<LedgerHarness['fundedWallet']>>[] = [];
    for (let i = 0; i < WALLETS; i += 4) {
      wallets.push(...(await Promise.all(Array.from({ length: Math.min(4, WALLETS - i) }, () => ledger.fundedWallet('USD', '1000000.00')))));
    }
    const merchant = wallets[0];
    // As in the service: balance deltas are folded every LEDGER_BALANCE_FOLD_MS (500 ms) meanwhile.
    ledger.balanceFolder.onApplicationBootstrap();
    const latencies: number[] = [];
    let refused = 0;
    const deadline = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        let i = client;
        while (Date.now() < deadline) {
          i += CLIENTS;
          const from = wallets[1 + (i % (WALLETS - 1))];
          const to = name === 'hot' ? merchant : wallets[1 + ((i * 7 + 3) % (WALLETS - 1))];
          if (to === from) continue;
          const started = process.hrtime.bigint();
          try {
            const pending = await ledger.transfers.execute(
              from.actor,
              { fromWalletId: from.walletId, toWalletNumber: to.walletNumber, amount: '1.00', pin: HARNESS_PIN },
              uuidv7(),
            );
            await ledger.decide(pending.id, 'approve');
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          } catch {
            refused++;
          }
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return { perSecond: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99), refused };
  } finally {
    await ledger.balanceFolder.onModuleDestroy();
    await ledger.close();
  }
}

function line(label: string, r: Result): void {
  console.log(`${label.padEnd(34)}${r.perSecond.toFixed(0).padStart(6)}/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  (refused ${r.refused})`);
}

async function main(): Promise<void> {
  console.log(
    `clients ${CLIENTS}, ${SECONDS} s per case, ${WALLETS} wallets, batches of up to ${BATCHING.COMMAND_BATCH_MAX} in ${BATCHING.COMMAND_BATCH_LANES} lanes`,
  );
  const tps = await pgbench();
  console.log(`${'pgbench TPC-B (scale 10):'.padEnd(34)}${tps.toFixed(0).padStart(6)} tps`);
  const spread = await ledgerCase('spread');
  line('ledger transfers, spread:', spread);
  const hot = await ledgerCase('hot');
  line('ledger transfers, hot merchant:', hot);
  const spreadBatched = await ledgerCase('spread', BATCHING);
  line('batched, spread:', spreadBatched);
  const hotBatched = await ledgerCase('hot', BATCHING);
  line('batched, hot merchant:', hotBatched);
  // Issue 10's targets: batched >= 2.0x TPC-B, one transfer per transaction >= 0.2x, a hot merchant >= 0.8x spread.
  const ratio = (label: string, value: number, target: number) =>
    console.log(`${label.padEnd(34)}${value.toFixed(2).padStart(6)}   (target >= ${target.toFixed(1)}: ${value >= target ? 'met' : 'not met'})`);
  ratio('ratio spread / pgbench:', spread.perSecond / tps, 0.2);
  ratio('ratio batched spread / pgbench:', spreadBatched.perSecond / tps, 2.0);
  ratio('ratio hot / spread:', hot.perSecond / spread.perSecond, 0.8);
  ratio('ratio batched hot / batched spread:', hotBatched.perSecond / spreadBatched.perSecond, 0.8);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
