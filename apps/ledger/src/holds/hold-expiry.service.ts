import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Messaging } from '@tally/messaging';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { JournalRepository } from '../journal/journal.repository';
import { resolvePendingEntry } from '../settlement/resolve-pending';
import { TransactionRow, TransactionsRepository } from '../transactions/transactions.repository';
import { HoldsRepository } from './holds.repository';

/** Held transactions voided per database transaction: small, so a sweep never holds many locks for long. */
const BATCH = 50;

/**
 * Holds expire: every holdSweepMs, a pending transaction older than holdTimeoutMs (held funds that
 * fraud has not approved, e.g. one waiting in review) is voided the same way fraud's reject voids
 * it, with reason 'expired' on the entry and on the transaction.voided event. A late decision then
 * finds it no longer pending and changes nothing; a decision being applied right now keeps its row
 * locked and the sweep skips it. Several ledger instances may sweep at once (SKIP LOCKED).
 *
 * With fraud's fail-open limit set (LEDGER_FRAUD_FAIL_OPEN_MAX, off by default), the same timer
 * posts small held debits that fraud has not scored after fraudFailOpenAfterMs, with reason
 * 'fraud_fail_open'; fraud's score arriving later changes nothing, and fraud closes any review case
 * it opened for them when it sees the posting.
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
  sweep(now: Date = new Date()): Promise<number> {
    const olderThan = new Date(now.getTime() - this.config.holdTimeoutMs);
    return this.resolveInBatches((manager) => this.holds.lockExpired(manager, olderThan, BATCH), 'void', 'expired');
  }

  /** Posts every small unscored hold older than the fail-open wait at `now`; returns how many. Off: 0. */
  failOpen(now: Date = new Date()): Promise<number> {
    const maxMinor = this.config.fraudFailOpenMaxMinor;
    if (maxMinor === null) return Promise.resolve(0);
    const olderThan = new Date(now.getTime() - this.config.fraudFailOpenAfterMs);
    return this.resolveInBatches(
      (manager) => this.holds.lockUnscoredSmall(manager, olderThan, this.config.baseCurrency, maxMinor, BATCH),
      'post',
      'fraud_fail_open',
    );
  }

  /** One database transaction per batch of BATCH locked holds, until a batch comes back short. */
  private async resolveInBatches(
    lock: (manager: EntityManager) => Promise<TransactionRow[]>,
    outcome: 'post' | 'void',
    reason: string,
  ): Promise<number> {
    let resolved = 0;
    while (!this.stopped) {
      const count = await this.dataSource.transaction(async (manager) => {
        const held = await lock(manager);
        // The same path as fraud's decision: each hold is resolved once, under its row lock.
        for (const tx of held) {
          await resolvePendingEntry(manager, { journal: this.journal, transactions: this.transactions }, tx, {
            outcome,
            reason,
            metadata: { heldSince: new Date(tx.created_at).toISOString() },
          });
        }
        return held.length;
      });
      resolved += count;
      if (count > 0) this.messaging.published();
      if (count < BATCH) break;
    }
    return resolved;
  }

  private tick(): void {
    if (this.sweeping || this.stopped) return;
    this.sweeping = (async () => {
      const voided = await this.sweep();
      if (voided > 0) this.logger.log({ msg: 'expired holds voided', voided });
      const posted = await this.failOpen();
      if (posted > 0) this.logger.warn({ msg: 'unscored holds posted under the fraud fail-open limit', posted });
    })()
      // A deadlock or an unreachable database: the next sweep tries again.
      .catch((err: Error) => this.logger.warn({ msg: 'hold expiry sweep failed', error: err.message }))
      .finally(() => {
        this.sweeping = undefined;
      });
  }
}
