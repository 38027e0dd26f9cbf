import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { convertMinor, formatAmount, parseAmount } from '@tally/money';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { LimitExceeded } from '../limits/limit-exceeded';
import { spendingWindow } from '../limits/spending-window';
import { SPENDING_TYPES } from '../wallets/wallets.repository';
import { FxConversion, FxRatesService } from './fx-rates.service';

/**
 * The per-user daily limit: everything a user spends today across all wallets (pending and
 * completed purchases, withdrawals and outgoing transfers, fees included), converted to the base
 * currency, may not exceed LEDGER_USER_DAILY_LIMIT (the seed's 100,000 MYR).
 *
 * Concurrency: `check` locks the user's row in ledger.user_limits until the caller's transaction
 * commits, so two debits of one user never both pass on the same total. Every debit path calls it
 * inside runLedgerTransaction, before it locks the wallet (one lock order: user, wallet, balances).
 *
 * Conversion: each currency's total today is converted at the current rate, rounded half-up to the
 * base currency's minor unit. A currency with no rate to the base currency cannot be measured: its
 * debits are left out of the user total and are bounded by their wallet's own limits only.
 */
@Injectable()
export class UserDailyLimit {
  constructor(
    private readonly rates: FxRatesService,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** Returns the debit converted to the base currency (fraud's high-value rule reads it from the pending event), or undefined with no rate. */
  async check(
    manager: EntityManager,
    userId: string,
    debit: { walletId: string; amountMinor: bigint; currency: string },
    now: Date = new Date(),
  ): Promise<FxConversion | undefined> {
    await this.lockUser(manager, userId);
    const base = this.config.baseCurrency;
    const thisDebit = await this.rates.tryConvert(debit.amountMinor, debit.currency, base, manager);
    if (!thisDebit) return undefined;
    const limit = parseAmount(this.config.userDailyLimit, base);
    const spent = await this.spentToday(manager, userId, now, thisDebit);
    const total = spent + thisDebit.convertedMinor;
    if (total > limit) {
      throw new LimitExceeded(
        `The daily limit of ${formatAmount(limit, base)} ${base} across your wallets would be exceeded`,
        { limit: 'user_daily', currency: base, limitAmount: formatAmount(limit, base), spentToday: formatAmount(spent, base) },
        { userId, walletId: debit.walletId, limit: 'userDaily', limitMinor: limit.toString(), currency: base, attemptedMinor: thisDebit.convertedMinor.toString() },
      );
    }
    return thisDebit;
  }

  /** Today's debits of the user in the base currency; the day is the one of LEDGER_DEFAULT_TIME_ZONE (wallets may each have their own). */
  async spentToday(manager: EntityManager, userId: string, now: Date = new Date(), known?: FxConversion): Promise<bigint> {
    const { dayStart } = spendingWindow(now, this.config.defaultTimeZone);
    const rows: { currency: string; total: string }[] = await manager.query(
      `SELECT trim(currency) AS currency, sum(amount + fee)::text AS total
         FROM ledger.transactions
        WHERE user_id = $1 AND created_at >= $2 AND type = ANY($3) AND status IN ('pending', 'completed')
        GROUP BY currency`,
      [userId, dayStart, SPENDING_TYPES],
    );
    let spent = 0n;
    for (const row of rows) {
      // The rate just looked up for this debit's currency serves its total too (one query fewer).
      if (known && row.currency === known.from) {
        spent += convertMinor(BigInt(row.total), known.from, known.to, known.rate);
        continue;
      }
      const converted = await this.rates.tryConvert(BigInt(row.total), row.currency, this.config.baseCurrency, manager);
      if (converted) spent += converted.convertedMinor;
    }
    return spent;
  }

  /** Inserted on the user's first debit; then locked by every debit until its transaction ends. */
  private async lockUser(manager: EntityManager, userId: string): Promise<void> {
    const lock = `SELECT user_id FROM ledger.user_limits WHERE user_id = $1 FOR NO KEY UPDATE`;
    if ((await manager.query(lock, [userId])).length > 0) return;
    // First debit of this user: a concurrent first debit waits on the insert, then takes its turn on the lock.
    await manager.query(`INSERT INTO ledger.user_limits (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING`, [userId]);
    await manager.query(lock, [userId]);
  }
}
