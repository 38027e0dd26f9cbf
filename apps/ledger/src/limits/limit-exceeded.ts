import { DomainError, WalletLimitReachedV1 } from '@tally/contracts';
import { convertMinor, formatAmount } from '@tally/money';
import { FxConversion } from '../fx/rate-book';
import { LoadedWallet } from '../posting/batch-state';
import { DecisionContext } from '../posting/posting-command';

/**
 * A debit refused by a spending limit (422 LIMIT_EXCEEDED). The refusal itself writes nothing,
 * but it is announced (wallet.limit_reached) with the batch, as a write the refusal keeps.
 */
export class LimitExceeded extends DomainError {
  constructor(
    message: string,
    details: Record<string, unknown>,
    readonly reached: Omit<WalletLimitReachedV1, 'occurredAt'>,
  ) {
    super('LIMIT_EXCEEDED', message, details);
  }
}

/** Announces the refusal with the batch (kept although the command is refused), then refuses. */
function refuse(ctx: DecisionContext, refusal: LimitExceeded): never {
  ctx.writes.event(
    WalletLimitReachedV1,
    { source: 'ledger', subject: refusal.reached.walletId, data: { ...refusal.reached, occurredAt: ctx.now.toISOString() } },
    true,
  );
  throw refusal;
}

/** The wallet's own daily and monthly limits, for a debit of `debitMinor` (fee included) on top of what it has spent. */
export function checkWalletLimits(ctx: DecisionContext, wallet: LoadedWallet, debitMinor: bigint): void {
  const spent = ctx.state.spent(wallet.id);
  const limits = [
    ['daily', spent.daily, BigInt(wallet.daily_limit)],
    ['monthly', spent.monthly, BigInt(wallet.monthly_limit)],
  ] as const;
  for (const [limit, used, cap] of limits) {
    if (used + debitMinor > cap) {
      refuse(
        ctx,
        new LimitExceeded(
          `The ${limit} limit would be exceeded`,
          { limit },
          {
            userId: wallet.user_id,
            walletId: wallet.id,
            limit,
            limitMinor: cap.toString(),
            currency: wallet.currency,
            attemptedMinor: debitMinor.toString(),
          },
        ),
      );
    }
  }
}

export interface UserLimitPolicy {
  baseCurrency: string;
  /** The per-user daily limit in minor units of the base currency. */
  limitMinor: bigint;
}

/**
 * The per-user daily limit: everything a user spends today across all wallets (pending and
 * completed purchases, withdrawals and outgoing transfers, fees included), converted to the base
 * currency at the batch's rates, may not exceed the limit. The user's limit row is locked for the
 * batch, so two debits never both pass on the same total. Returns this debit in the base currency
 * (fraud's high-value rule reads it from the pending event). A currency with no rate to the base
 * currency cannot be counted, so its debit is refused (FX_RATE_UNAVAILABLE) rather than let past
 * the limit; every listed currency has a rate (ledger.fx_rates).
 */
export function checkUserDailyLimit(
  ctx: DecisionContext,
  wallet: LoadedWallet,
  debit: { amountMinor: bigint; currency: string },
  policy: UserLimitPolicy,
): FxConversion {
  const base = policy.baseCurrency;
  const thisDebit = ctx.rates.tryConvert(debit.amountMinor, debit.currency, base);
  if (!thisDebit) {
    throw new DomainError('FX_RATE_UNAVAILABLE', `No exchange rate from ${debit.currency} to ${base}, so the debit cannot be counted against the daily limit`, {
      from: debit.currency,
      to: base,
    });
  }
  let spent = 0n;
  for (const [currency, total] of ctx.state.userSpentToday(wallet.user_id)) {
    if (currency === debit.currency) spent += convertMinor(total, currency, base, thisDebit.rate);
    else spent += ctx.rates.tryConvert(total, currency, base)?.convertedMinor ?? 0n;
  }
  if (spent + thisDebit.convertedMinor > policy.limitMinor) {
    refuse(
      ctx,
      new LimitExceeded(
        `The daily limit of ${formatAmount(policy.limitMinor, base)} ${base} across your wallets would be exceeded`,
        { limit: 'user_daily', currency: base, limitAmount: formatAmount(policy.limitMinor, base), spentToday: formatAmount(spent, base) },
        {
          userId: wallet.user_id,
          walletId: wallet.id,
          limit: 'userDaily',
          limitMinor: policy.limitMinor.toString(),
          currency: base,
          attemptedMinor: thisDebit.convertedMinor.toString(),
        },
      ),
    );
  }
  return thisDebit;
}
