import { DomainError } from '@tally/contracts';
import { formatAmount, minorDigits, parseAmount } from '@tally/money';
import type { RateBook } from '../fx/rate-book';

/** What the platform allows a wallet's own limits to be: its defaults and its caps. */
export interface WalletLimitPolicy {
  /** The currency the defaults are written in (the wallet seed's "$1000 a day": USD). */
  defaultsCurrency: string;
  defaultDaily: string;
  defaultMonthly: string;
  baseCurrency: string;
  /** The per-user daily limit in the base currency: no wallet may allow more in a day; a month, 31 such days. */
  userDailyLimit: string;
}

/** A wallet's daily and monthly limits in minor units of its currency. */
export interface WalletLimits {
  daily: bigint;
  monthly: bigint;
}

/**
 * The limits a new wallet gets: the ones asked for, else the defaults valued in the wallet's
 * currency (whole units, rounded down, so a JPY wallet's default is worth what a USD one's is, not
 * 1,000 yen), each at most the platform's cap in that currency. A limit above the cap is refused.
 */
export function walletLimits(currency: string, asked: { daily?: string; monthly?: string }, policy: WalletLimitPolicy, rates: RateBook): WalletLimits {
  const caps = walletLimitCaps(currency, policy, rates);
  const daily =
    asked.daily === undefined
      ? min(valueIn(policy.defaultDaily, policy.defaultsCurrency, currency, policy, rates), caps.daily)
      : parseAmount(asked.daily, currency);
  const monthly =
    asked.monthly === undefined
      ? min(valueIn(policy.defaultMonthly, policy.defaultsCurrency, currency, policy, rates), caps.monthly)
      : parseAmount(asked.monthly, currency);
  for (const [field, value, cap] of [
    ['dailyLimit', daily, caps.daily],
    ['monthlyLimit', monthly, caps.monthly],
  ] as const) {
    if (value > cap) {
      throw new DomainError('VALIDATION_FAILED', `${field} may be at most ${formatAmount(cap, currency)} ${currency}, the platform's cap`, {
        field,
        max: formatAmount(cap, currency),
        currency,
      });
    }
  }
  // An asked-for limit is above 0 (parseAmount); a default the current rates value at less than one
  // whole unit rounds to 0, which no wallet can use (and the table refuses): the rates' fault.
  for (const [field, value] of [
    ['dailyLimit', daily],
    ['monthlyLimit', monthly],
  ] as const) {
    if (value <= 0n) {
      throw new DomainError('FX_RATE_UNAVAILABLE', `At the current exchange rates the platform's ${field} is less than one ${currency}, so it cannot be set`, {
        field,
        currency,
      });
    }
  }
  if (daily > monthly) throw new DomainError('VALIDATION_FAILED', 'dailyLimit cannot be above monthlyLimit');
  return { daily, monthly };
}

/** The platform's caps in a currency: the per-user daily limit for a day, 31 of them for a month. */
export function walletLimitCaps(currency: string, policy: WalletLimitPolicy, rates: RateBook): WalletLimits {
  const daily = valueIn(policy.userDailyLimit, policy.baseCurrency, currency, policy, rates);
  return { daily, monthly: daily * 31n };
}

/** An amount written in one currency, valued in another in whole major units rounded down (through the base currency when no rate links them). */
function valueIn(amount: string, from: string, to: string, policy: WalletLimitPolicy, rates: RateBook): bigint {
  const minor = parseAmount(amount, from);
  const direct = rates.tryConvert(minor, from, to)?.convertedMinor;
  const viaBase = direct ?? chain(minor, from, to, policy.baseCurrency, rates);
  if (viaBase === undefined) {
    throw new DomainError('FX_RATE_UNAVAILABLE', `No exchange rate from ${from} to ${to}, so the platform's limits cannot be set for a ${to} wallet`, {
      from,
      to,
    });
  }
  const unit = 10n ** BigInt(minorDigits(to));
  return (viaBase / unit) * unit;
}

function chain(minor: bigint, from: string, to: string, base: string, rates: RateBook): bigint | undefined {
  const inBase = rates.tryConvert(minor, from, base);
  return inBase && rates.tryConvert(inBase.convertedMinor, base, to)?.convertedMinor;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
