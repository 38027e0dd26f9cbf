import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';

/** Deltas folded per database transaction. */
const BATCH = 5000;
/** Any constant: one folder at a time across ledger instances (a transaction-scoped advisory lock). */
export const BALANCE_FOLD_LOCK = 0x7a11_f01d;

/**
 * Folds balance deltas into their balance rows (see the BalanceDeltas migration), so that reading a
 * balance stays one row plus a few deltas however busy the account is. Credits to a hot account
 * (fee revenue, a merchant, funding) append deltas without locks; this folds them in batches, one
 * balance row update per account per batch instead of one per posting.
 *
 * It never waits on a row: deltas and balance rows that a debit is folding right now are skipped
 * (SKIP LOCKED) and folded by that debit or by a later pass, so it cannot deadlock with the money path.
 * A pass that runs into a CHECK (a delta whose earlier half a debit is still folding) rolls back
 * and the next pass folds both.
 */
@Injectable()
export class BalanceDeltaFolder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BalanceDeltaFolder.name);
  private timer: NodeJS.Timeout | undefined;
  private folding: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), this.config.balanceFoldMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.folding;
  }

  /** Folds until fewer than a batch of deltas remain (or another instance holds the fold); returns how many. */
  async fold(): Promise<number> {
    let folded = 0;
    while (!this.stopped) {
      const count = await this.dataSource.transaction((manager) => foldBatch(manager, BATCH));
      folded += count;
      if (count < BATCH) break;
    }
    return folded;
  }

  private tick(): void {
    if (this.folding || this.stopped) return;
    this.folding = this.fold()
      .catch((err: Error) => this.logger.warn({ msg: 'balance fold failed; the next pass retries', error: err.message }))
      .finally(() => {
        this.folding = undefined;
      });
  }
}

/** One batch: pick deltas, lock their rows without waiting, delete what is folded, add it to the rows (ledger.fold_balance_deltas, the one way the runtime role changes balance rows outside the posting trigger). */
export async function foldBatch(manager: { query: (sql: string, params?: unknown[]) => Promise<unknown> }, limit: number): Promise<number> {
  const locked = (await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [BALANCE_FOLD_LOCK])) as { ok: boolean }[];
  if (!locked[0].ok) return 0;
  const rows = (await manager.query(`SELECT ledger.fold_balance_deltas($1) AS folded`, [limit])) as { folded: number }[];
  return rows[0].folded;
}
