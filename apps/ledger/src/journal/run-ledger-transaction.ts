import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { DomainError } from '@tally/contracts';
import { announceLimitReached, LimitExceeded } from '../limits/limit-exceeded';

/** Deadlock and serialization failure: the work was rolled back and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

export type LedgerWork<T> = (manager: EntityManager) => Promise<T>;

export interface BatchingOptions {
  /** Most commands written in one database transaction. */
  maxBatch: number;
  /** Batches in flight at once, each on its own connection. */
  lanes: number;
}

/** Command batching per DataSource, when enabled (see enableCommandBatching). */
const batchers = new WeakMap<DataSource, CommandBatcher>();

/**
 * Runs a command's writes in one database transaction, retrying a deadlock or serialization
 * failure, and turns the database's own refusal of an overdraft into INSUFFICIENT_FUNDS.
 * With batching enabled, concurrent commands share one transaction (each in its own savepoint).
 * A refusal by a spending limit is announced (wallet.limit_reached) after its rollback.
 */
export async function runLedgerTransaction<T>(dataSource: DataSource, work: LedgerWork<T>): Promise<T> {
  const batcher = batchers.get(dataSource);
  try {
    return await (batcher ? batcher.run(work) : runAlone(dataSource, work));
  } catch (err) {
    if (err instanceof LimitExceeded) await announceLimitReached(dataSource, err);
    throw err;
  }
}

export function enableCommandBatching(dataSource: DataSource, options: BatchingOptions): void {
  if (options.maxBatch > 1) batchers.set(dataSource, new CommandBatcher(dataSource, options));
  else batchers.delete(dataSource);
}

async function runAlone<T>(dataSource: DataSource, work: LedgerWork<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (err) {
      if (isRetryable(err) && attempt < MAX_ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      throw asDomainError(err);
    }
  }
}

interface QueuedCommand {
  work: LedgerWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  attempts: number;
}

type Outcome = { kind: 'done'; value: unknown } | { kind: 'failed'; error: unknown } | { kind: 'retry' };

/**
 * Group commit for commands: while a batch is being written, newly arriving commands queue up and
 * go together in the next one, so under load one COMMIT (one WAL flush) serves many commands and a
 * hot balance row is locked once per batch rather than once per command. A lone command runs
 * straight away in its own transaction, so batching adds no latency when the ledger is idle.
 * Each command runs in its own savepoint: its failure (a DomainError, the overdraft CHECK, a
 * deadlock) rolls back only its own writes. If the COMMIT itself fails, every command of the
 * batch runs again on its own, so a command is never half-applied and never lost.
 */
class CommandBatcher {
  private readonly queue: QueuedCommand[] = [];
  private busyLanes = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: BatchingOptions,
  ) {}

  run<T>(work: LedgerWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject, attempts: 0 });
      this.drain();
    });
  }

  private drain(): void {
    while (this.busyLanes < this.options.lanes && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.busyLanes++;
      void this.write(batch).finally(() => {
        this.busyLanes--;
        this.drain();
      });
    }
  }

  private async write(batch: QueuedCommand[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch;
      await runAlone(this.dataSource, only.work).then(only.resolve, only.reject);
      return;
    }
    const runner = this.dataSource.createQueryRunner();
    let outcomes: Outcome[];
    try {
      await runner.connect();
      await runner.startTransaction();
      outcomes = [];
      for (const command of batch) outcomes.push(await this.runInSavepoint(runner, command));
      await runner.commitTransaction();
    } catch {
      // The batch as a whole failed (connection lost, commit refused): nothing of it is committed.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await Promise.all(batch.map((c) => runAlone(this.dataSource, c.work).then(c.resolve, c.reject)));
      return;
    } finally {
      await runner.release();
    }
    batch.forEach((command, i) => {
      const outcome = outcomes[i];
      if (outcome.kind === 'done') command.resolve(outcome.value);
      else if (outcome.kind === 'failed') command.reject(outcome.error);
      else this.retry(command);
    });
  }

  private async runInSavepoint(runner: QueryRunner, command: QueuedCommand): Promise<Outcome> {
    await runner.query('SAVEPOINT command');
    try {
      const value = await command.work(runner.manager);
      await runner.query('RELEASE SAVEPOINT command');
      return { kind: 'done', value };
    } catch (err) {
      await runner.query('ROLLBACK TO SAVEPOINT command');
      command.attempts++;
      if (isRetryable(err) && command.attempts < MAX_ATTEMPTS) return { kind: 'retry' };
      return { kind: 'failed', error: asDomainError(err) };
    }
  }

  /** A command that lost a deadlock runs again on its own, so it cannot lose to the same batch again. */
  private retry(command: QueuedCommand): void {
    void backoff(command.attempts)
      .then(() => runAlone(this.dataSource, command.work))
      .then(command.resolve, command.reject);
  }
}

function isRetryable(err: unknown): boolean {
  const code = driverError(err)?.code;
  return code !== undefined && RETRYABLE.has(code);
}

/** The database's own refusals, as the errors a client understands. */
function asDomainError(err: unknown): unknown {
  const constraint = driverError(err)?.constraint;
  if (constraint === 'balances_no_overdraft') return new DomainError('INSUFFICIENT_FUNDS', 'Insufficient funds');
  if (constraint === 'postings_wallet_not_closed') return new DomainError('WALLET_NOT_ACTIVE', 'The wallet is closed');
  return err;
}

function driverError(err: unknown): { code?: string; constraint?: string } | undefined {
  return (err as { driverError?: { code?: string; constraint?: string } } | undefined)?.driverError;
}

function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
}
