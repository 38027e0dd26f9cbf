import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCodes } from '@tally/contracts';
import { Messaging } from '@tally/messaging';
import { metricsRegistry } from '@tally/observability';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { FxRatesService } from '../fx/fx-rates.service';
import { spendingWindow } from '../limits/spending-window';
import { SPENDING_TYPES } from '../wallets/wallets.repository';
import { addToPlan, BatchPlan, BatchState, CommandWrites, LoadedBatch } from './batch-state';
import { PostingCommand } from './posting-command';
import { WalletDirectory } from './wallet-directory';

const batchSizes = new Histogram({
  name: 'ledger_posting_batch_size',
  help: 'Commands written per database transaction by the posting kernel',
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  registers: [metricsRegistry],
});
const batchSeconds = new Histogram({
  name: 'ledger_posting_batch_duration_seconds',
  help: 'Time from a batch starting to its commit',
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});
const commandsPosted = new Counter({
  name: 'ledger_posting_commands_total',
  help: 'Commands run by the posting kernel by kind and outcome (done, refused, replayed, duplicate, failed)',
  labelNames: ['kind', 'outcome'],
  registers: [metricsRegistry],
});

/** Deadlock and serialization failure: the batch was rolled back and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 4;

interface Queued {
  command: PostingCommand<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The one write path for money. Commands submitted while a batch is being written wait and go
 * together in the next one (group commit: an idle ledger writes a lone command at once, a busy one
 * up to COMMAND_BATCH_MAX per transaction, on up to COMMAND_BATCH_LANES connections). A batch is
 * one database transaction with two round trips between BEGIN and COMMIT: `load_batch` (claims
 * and locks for every command, then the rows they decide on) and `write_batch` (every row the
 * successful commands wrote, one statement per table). Each command decides in memory, in arrival
 * order, on the state its predecessors in the batch left, and keeps its own outcome: a refusal
 * (insufficient funds, a limit, a frozen wallet, a wrong PIN) answers that command alone.
 *
 * If the database refuses the batch as a whole (a guard that the in-memory decision did not
 * foresee, a lost connection), nothing of it is committed and each command runs again alone, so
 * one bad command costs its batch a retry, never another command's outcome.
 */
@Injectable()
export class PostingKernel {
  private readonly logger = new Logger(PostingKernel.name);
  private readonly queue: Queued[] = [];
  private busyLanes = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: WalletDirectory,
    private readonly fx: FxRatesService,
    private readonly messaging: Messaging,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  submit<T>(command: PostingCommand<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ command, resolve: resolve as (value: unknown) => void, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.busyLanes < this.config.commandBatchLanes && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.config.commandBatchMax);
      this.busyLanes++;
      void this.run(batch).finally(() => {
        this.busyLanes--;
        this.drain();
      });
    }
  }

  private async run(batch: Queued[]): Promise<void> {
    const outcomes = await this.write(batch);
    if (outcomes) {
      batch.forEach((item, i) => settle(item, outcomes[i]));
      return;
    }
    // The batch as a whole failed: each command again, alone, so it gets its own outcome.
    for (const item of batch) settle(item, (await this.write([item]))?.[0] ?? { ok: false, error: unavailable() });
  }

  /** Writes one batch; the outcome of each command, or undefined when the batch as a whole failed (and had several commands). */
  private async write(batch: Queued[]): Promise<Outcome[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      const end = batchSeconds.startTimer();
      try {
        const outcomes = await this.attempt(batch);
        end();
        batchSizes.observe(batch.length);
        return outcomes;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
          await backoff(attempt);
          continue;
        }
        if (batch.length > 1) {
          this.logger.warn({ msg: 'posting batch refused; its commands run again one by one', commands: batch.length, error: (err as Error).message });
          return undefined;
        }
        return [{ ok: false, error: asDomainError(err) }];
      }
    }
  }

  private async attempt(batch: Queued[]): Promise<Outcome[]> {
    const request = await this.loadRequest(batch);
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    let open = false;
    try {
      await client.query('BEGIN');
      open = true;
      const loaded: LoadedBatch = (await client.query('SELECT ledger.load_batch($1::jsonb) AS batch', [JSON.stringify(request)])).rows[0].batch;
      const { plan, outcomes } = this.decide(batch, loaded);
      if (!plan.empty) await client.query('SELECT ledger.write_batch($1::jsonb)', [JSON.stringify(plan)]);
      await client.query('COMMIT');
      open = false;
      if (plan.outbox.length > 0) this.messaging.published();
      return outcomes;
    } finally {
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }

  /** What load_batch must claim, lock and read for these commands. */
  private async loadRequest(batch: Queued[]): Promise<Record<string, unknown>> {
    const needs = batch.map((q) => q.command.needs);
    const unique = (pick: (n: (typeof needs)[number]) => string[] | undefined) => [...new Set(needs.flatMap((n) => pick(n) ?? []))];
    const claims = new Map<string, unknown>();
    for (const n of needs) if (n.claim) claims.set(`${n.claim.scope}\u0000${n.claim.key}`, n.claim);
    const now = new Date();
    const spendingOf = unique((n) => n.spendingOf);
    const facts = await this.directory.get(spendingOf);
    const userDay = spendingWindow(now, this.config.defaultTimeZone).dayStart;
    return {
      claims: [...claims.values()],
      inbox: needs.flatMap((n) => (n.inbox ? [n.inbox] : [])),
      users: unique((n) => n.users),
      wallets: unique((n) => n.wallets),
      walletNumbers: unique((n) => n.walletNumbers),
      sharedWallets: unique((n) => n.sharedWallets),
      goals: unique((n) => n.goals),
      transactions: unique((n) => n.transactions),
      spending: spendingOf.flatMap((walletId) => {
        const wallet = facts.get(walletId);
        if (!wallet) return [];
        const window = spendingWindow(now, wallet.timeZone);
        return [{ walletId, dayStart: window.dayStart, monthStart: window.monthStart, types: SPENDING_TYPES }];
      }),
      userSpending: unique((n) => n.users).map((userId) => ({ userId, dayStart: userDay, types: SPENDING_TYPES })),
    };
  }

  /** Every command of the batch in order, each on the state the ones before it left. */
  private decide(batch: Queued[], loaded: LoadedBatch): { plan: BatchPlan; outcomes: Outcome[] } {
    const state = new BatchState(loaded);
    const rates = this.fx.book(loaded.rates);
    const plan = new BatchPlan();
    const claimedByBatch = new Set(loaded.claimed.map((c) => `${c.scope}\u0000${c.key}`));
    const stored = new Map(loaded.claims.map((c) => [`${c.scope}\u0000${c.key}`, c]));
    const inboxed = new Set(loaded.inboxed);
    /** Keys this batch claimed: what the command that used one first ended with. */
    const used = new Map<string, { command: string; hash: string; result?: { value: unknown } }>();
    const outcomes: Outcome[] = [];

    for (const { command } of batch) {
      const { claim, inbox } = command.needs;
      const claimKey = claim && `${claim.scope}\u0000${claim.key}`;
      if (inbox && !inboxed.has(inbox.id)) {
        outcomes.push(this.count(command.kind, 'duplicate', { ok: true, value: command.duplicate?.() }));
        continue;
      }
      if (inbox) inboxed.delete(inbox.id);
      if (claim && claimKey) {
        const earlier = claimedByBatch.has(claimKey) ? used.get(claimKey) : stored.get(claimKey) && toEarlier(stored.get(claimKey));
        if (earlier && (earlier.command !== claim.command || earlier.hash !== claim.hash)) {
          outcomes.push(this.count(command.kind, 'refused', { ok: false, error: reused() }));
          continue;
        }
        if (earlier?.result) {
          outcomes.push(this.count(command.kind, 'replayed', { ok: true, value: earlier.result.value }));
          continue;
        }
        if (!claimedByBatch.has(claimKey)) {
          // Claimed by someone whose outcome is not stored: it is still running elsewhere.
          outcomes.push(
            this.count(command.kind, 'refused', { ok: false, error: new DomainError('CONFLICT', 'A request with this Idempotency-Key is still in progress') }),
          );
          continue;
        }
        used.set(claimKey, { command: claim.command, hash: claim.hash });
      }
      const writes = new CommandWrites(state.now);
      try {
        const value = command.decide({ state, writes, now: state.now, rates });
        state.apply(writes);
        addToPlan(plan, writes, true);
        if (claim && claimKey) {
          used.set(claimKey, { command: claim.command, hash: claim.hash, result: { value } });
          plan.completed.push({ scope: claim.scope, key: claim.key, response: value ?? null });
        }
        outcomes.push(this.count(command.kind, 'done', { ok: true, value }));
      } catch (err) {
        state.applyKept(writes);
        addToPlan(plan, writes, false);
        const deferred = (err as { deferred?: boolean })?.deferred === true;
        if (!deferred && !(err instanceof DomainError) && !isCoded(err)) {
          this.logger.error({ msg: 'posting command failed', kind: command.kind, error: (err as Error).message }, (err as Error).stack);
        }
        const outcome = deferred ? 'deferred' : err instanceof DomainError || isCoded(err) ? 'refused' : 'failed';
        outcomes.push(this.count(command.kind, outcome, { ok: false, error: err }));
      }
    }
    // A key whose every command was refused is given back: only outcomes that happened are kept.
    for (const key of claimedByBatch) {
      if (used.get(key)?.result) continue;
      const [scope, k] = key.split('\u0000');
      plan.released.push({ scope, key: k });
    }
    return { plan, outcomes };
  }

  private count(kind: string, outcome: string, result: Outcome): Outcome {
    commandsPosted.inc({ kind, outcome });
    return result;
  }
}

function toEarlier(row: LoadedBatch['claims'][number] | undefined): { command: string; hash: string; result?: { value: unknown } } | undefined {
  if (!row) return undefined;
  return { command: row.command, hash: row.request_hash, ...(row.response === null ? {} : { result: { value: row.response } }) };
}

function settle(item: Queued, outcome: Outcome): void {
  if (outcome.ok) item.resolve(outcome.value);
  else item.reject(outcome.error);
}

function reused(): DomainError {
  return new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
}

function unavailable(): DomainError {
  return new DomainError('SERVICE_UNAVAILABLE', 'The ledger could not complete the request; its outcome is unknown: retry with the same Idempotency-Key', {
    outcome: 'unknown',
  });
}

/** A refusal with a public code from a framework-free lib (money's INVALID_AMOUNT). */
function isCoded(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return err instanceof Error && typeof code === 'string' && (ErrorCodes as readonly string[]).includes(code);
}

/** The database's own refusals, as the errors a client understands; a lost connection is an unknown outcome. */
export function asDomainError(err: unknown): unknown {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.constraint === 'balances_no_overdraft') return new DomainError('INSUFFICIENT_FUNDS', 'Insufficient funds');
  if (e?.constraint === 'postings_wallet_not_closed') return new DomainError('WALLET_NOT_ACTIVE', 'The wallet is closed');
  // A goal closed while the command waited for its batch: gone, as for its owner's reads.
  if (e?.constraint === 'postings_goal_not_closed') return new DomainError('NOT_FOUND', 'Goal not found');
  const code = e?.code ?? '';
  if (code.startsWith('08') || code.startsWith('57P') || code === '53300' || /Connection terminated|ECONNREFUSED|ECONNRESET|timeout/i.test(e?.message ?? '')) {
    return unavailable();
  }
  return err;
}

function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
}
