import Big from 'big.js';
import { isSupportedCurrency, minorDigits } from './currency';

/**
 * Currency conversion at a stored rate. Rounding rules (tested in fx.spec.ts):
 * - A rate is quoted as "1 base = rate quote" (e.g. USD/MYR 4.70: 1 USD = 4.70 MYR), a plain
 *   positive decimal with at most RATE_MAX_DECIMALS decimals.
 * - The inverse direction of a quoted pair is 1 ÷ rate, rounded half-up to INVERSE_SIGNIFICANT_DIGITS
 *   significant digits; that rounded rate is the one applied and recorded, so a conversion can
 *   always be recomputed from its snapshot.
 * - A converted amount is amount × rate, exact in big.js, then rounded half-up (half away from zero)
 *   to a whole minor unit of the target currency. Nothing in between is rounded.
 */

export const RATE_MAX_DECIMALS = 15;
export const INVERSE_SIGNIFICANT_DIGITS = 15;

/** 1 `base` = `rate` `quote`. */
export interface FxRate {
  base: string;
  quote: string;
  rate: string;
}

/** The rate that takes an amount in `from` to `to`, and whether it was derived from the opposite quote. */
export interface AppliedRate {
  from: string;
  to: string;
  rate: string;
  inverted: boolean;
}

const RATE = new RegExp(`^(\\d{1,20})(?:\\.(\\d{1,${RATE_MAX_DECIMALS}}))?$`);

/** A decimal division context wide enough that rounding to 15 significant digits afterwards is exact enough. */
const Division = Big();
Division.DP = 40;
Division.RM = Big.roundHalfUp;

export function isValidRate(rate: unknown): rate is string {
  return typeof rate === 'string' && RATE.test(rate) && new Big(rate).gt(0);
}

/** 1 ÷ rate, rounded half-up to INVERSE_SIGNIFICANT_DIGITS significant digits, as plain decimal text. */
export function invertRate(rate: string): string {
  assertRate(rate);
  return new Division(1).div(rate).prec(INVERSE_SIGNIFICANT_DIGITS, Big.roundHalfUp).toFixed();
}

/**
 * Converts integer minor units of `from` into integer minor units of `to` at `rate` (1 from = rate to):
 * amountMinor × rate × 10^(digits(to) − digits(from)), rounded half-up to a whole minor unit.
 */
export function convertMinor(amountMinor: bigint, from: string, to: string, rate: string): bigint {
  assertRate(rate);
  const shift = minorDigits(to) - minorDigits(from);
  let exact = new Big(amountMinor.toString()).times(rate);
  exact = shift >= 0 ? exact.times(new Big(10).pow(shift)) : exact.div(new Big(10).pow(-shift));
  // big.js toFixed(0) of a rounded value is the exact integer text; no binary floating point involved.
  return BigInt(exact.round(0, Big.roundHalfUp).toFixed(0));
}

/**
 * The rate to apply from `from` to `to` among quoted rates: the direct quote if there is one, else
 * the inverse of the opposite quote. Undefined when neither is quoted (no cross rates).
 */
export function findRate(rates: readonly FxRate[], from: string, to: string): AppliedRate | undefined {
  if (from === to) return { from, to, rate: '1', inverted: false };
  const direct = rates.find((r) => r.base === from && r.quote === to);
  if (direct) return { from, to, rate: direct.rate, inverted: false };
  const opposite = rates.find((r) => r.base === to && r.quote === from);
  if (opposite) return { from, to, rate: invertRate(opposite.rate), inverted: true };
  return undefined;
}

export class FxRatesFormatError extends Error {}

/**
 * Parses "SGD/MYR=3.50,USD/MYR=4.70" (spaces allowed around items). An empty text is no rates.
 * Throws FxRatesFormatError naming the first bad item.
 */
export function parseFxRates(text: string): FxRate[] {
  const rates: FxRate[] = [];
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const match = /^([A-Z]{3})\/([A-Z]{3})=(\S+)$/.exec(item);
    if (!match) throw new FxRatesFormatError(`"${item}" is not BASE/QUOTE=rate`);
    const [, base, quote, rate] = match;
    if (!isSupportedCurrency(base) || !isSupportedCurrency(quote)) throw new FxRatesFormatError(`"${item}" names an unsupported currency`);
    if (base === quote) throw new FxRatesFormatError(`"${item}" converts a currency to itself`);
    if (!isValidRate(rate)) {
      throw new FxRatesFormatError(`"${item}": the rate must be a positive decimal with at most ${RATE_MAX_DECIMALS} decimals`);
    }
    if (rates.some((r) => (r.base === base && r.quote === quote) || (r.base === quote && r.quote === base))) {
      throw new FxRatesFormatError(`"${item}": the pair ${base}/${quote} is given twice`);
    }
    rates.push({ base, quote, rate });
  }
  return rates;
}

function assertRate(rate: string): void {
  // Derived inverse rates can carry more decimals than a quoted one; they are still plain positive decimals.
  if (typeof rate !== 'string' || !/^\d+(\.\d+)?$/.test(rate) || !new Big(rate).gt(0)) {
    throw new RangeError(`not a positive decimal rate: ${String(rate)}`);
  }
}
