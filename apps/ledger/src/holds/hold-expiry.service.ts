import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Messaging } from '@tally/messaging';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { JournalRepository } from '../journal/journal.repository';
import { resolvePendingEntry } from '../settlement/resolve-pending';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { HoldsRepository } from './holds.repository';

/** Held transactions voided per database transaction: small, so a sweep never holds many locks for long. */
const BATCH = 50;

/**
 * Holds expire: every holdSweepMs, a pending transaction older than holdTimeoutMs (held funds that
 * fraud has not approved, e.g. one waiting in review) is voided the same way fraud's reject voids
 * it, with reason 'expired' on the entry and on the transaction.voided event. A late decision then
 * finds it no longer pending and changes nothing; a decision being applied right now keeps its row
 * locked and the sweep skips it. Several ledger instances may sweep at once (SKIP LOCKED).
 */
@Injectable()
export class HoldExpiryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HoldExpiryService.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly holds: HoldsRepository,
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionsRepository,
    private readonly messaging: Messaging,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), this.config.holdSweepMs);
  }

  /** Stops the timer and waits for a sweep in progress (it finishes its batch and stops). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Voids every hold older than the timeout at `now`, batch by batch; returns how many it voided. */
  async sweep(now: Date = new Date()): Promise<number> {
    const olderThan = new Date(now.getTime() - this.config.holdTimeoutMs);
    let voided = 0;
    while (!this.stopped) {
      const count = await this.dataSource.transaction((manager) => this.expireBatch(manager, olderThan));
      voided += count;
      if (count > 0) this.messaging.published();
      if (count < BATCH) break;
    }
    return voided;
  }

  private tick(): void {
    if (this.sweeping || this.stopped) return;
    this.sweeping = this.sweep()
      .then((voided) => {
        if (voided > 0) this.logger.log({ msg: 'expired holds voided', voided });
      })
      // A deadlock or an unreachable database: the next sweep tries again.
      .catch((err: Error) => this.logger.warn({ msg: 'hold expiry sweep failed', error: err.message }))
      .finally(() => {
        this.sweeping = undefined;
      });
  }

  private async expireBatch(manager: EntityManager, olderThan: Date): Promise<number> {
    const expired = await this.holds.lockExpired(manager, olderThan, BATCH);
    if (expired.length === 0) return 0;
    // Voids only lower what is held, so their postings append balance deltas and lock no balance row.
    for (const tx of expired) {
      await resolvePendingEntry(manager, { journal: this.journal, transactions: this.transactions }, tx, {
        outcome: 'void',
        reason: 'expired',
        metadata: { heldSince: new Date(tx.created_at).toISOString() },
      });
    }
    return expired.length;
  }
}
