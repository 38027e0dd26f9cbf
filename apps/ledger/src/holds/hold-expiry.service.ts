import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { SettlePendingHandler } from '../settlement/settle-pending.handler';
import { TransactionRow } from '../transactions/transactions.repository';
import { HoldsRepository } from './holds.repository';

/** Held transactions read per page; each page's resolutions go to the posting kernel together. */
const PAGE = 200;

/**
 * Holds expire: every holdSweepMs, a pending transaction older than holdTimeoutMs (held funds that
 * fraud has not approved, e.g. one waiting in review) is voided the same way fraud's reject voids
 * it, with reason 'expired' on the entry and on the transaction.voided event. A late decision then
 * finds it no longer pending and changes nothing; one being applied right now holds the row and the
 * sweep's command, waiting its turn, finds it resolved and does nothing. Several ledger instances
 * may sweep at once: each hold is resolved once.
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
    private readonly settlement: SettlePendingHandler,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), this.config.holdSweepMs);
  }

  /** Stops the timer and waits for a sweep in progress (it finishes its page and stops). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Voids every hold older than the timeout at `now`, page by page; returns how many it voided. */
  sweep(now: Date = new Date()): Promise<number> {
    const olderThan = new Date(now.getTime() - this.config.holdTimeoutMs);
    return this.resolvePages(
      (after) => this.holds.expired(this.dataSource.manager, olderThan, PAGE, after),
      (tx) => this.settlement.resolveHold(tx.id, { outcome: 'void', reason: 'expired' }),
    );
  }

  /** Posts every small unscored hold older than the fail-open wait at `now`; returns how many. Off: 0. */
  failOpen(now: Date = new Date()): Promise<number> {
    const maxMinor = this.config.fraudFailOpenMaxMinor;
    if (maxMinor === null) return Promise.resolve(0);
    const olderThan = new Date(now.getTime() - this.config.fraudFailOpenAfterMs);
    return this.resolvePages(
      (after) => this.holds.unscoredSmall(this.dataSource.manager, olderThan, this.config.baseCurrency, maxMinor, PAGE, after),
      (tx) => this.settlement.resolveHold(tx.id, { outcome: 'post', reason: 'fraud_fail_open', unscoredOnly: true }),
    );
  }

  private async resolvePages(
    page: (after?: { createdAt: Date; id: string }) => Promise<TransactionRow[]>,
    resolve: (tx: TransactionRow) => Promise<string>,
  ): Promise<number> {
    let resolved = 0;
    let after: { createdAt: Date; id: string } | undefined;
    while (!this.stopped) {
      const held = await page(after);
      const outcomes = await Promise.all(held.map(resolve));
      resolved += outcomes.filter((o) => o === 'posted' || o === 'voided').length;
      if (held.length < PAGE) break;
      const last = held[held.length - 1];
      after = { createdAt: new Date(last.created_at), id: last.id };
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
      // An unreachable database: the next sweep tries again.
      .catch((err: Error) => this.logger.warn({ msg: 'hold expiry sweep failed', error: err.message }))
      .finally(() => {
        this.sweeping = undefined;
      });
  }
}
