import Big from 'big.js';
import { minorDigits } from './currency';

export interface PercentageFeeRule {
  /** Rate as a decimal string, e.g. "0.002" for 0.2 %. */
  rate: string;
  /** Bounds in minor units. */
  minMinor: bigint;
  maxMinor: bigint;
}

/**
 * Fee = amount × rate, rounded half-up to the currency's minor unit, then clamped to [min, max].
 * Computed in minor units with big.js so no binary floating point touches money.
 */
export function percentageFee(amountMinor: bigint, rule: PercentageFeeRule): bigint {
  const raw = new Big(amountMinor.toString()).times(rule.rate).round(0, Big.roundHalfUp);
  // big.js toFixed: the exact decimal text of an integer, no binary floating point involved.
  let fee = BigInt(raw.toFixed(0));
  if (fee < rule.minMinor) fee = rule.minMinor;
  if (fee > rule.maxMinor) fee = rule.maxMinor;
  return fee;
}

/**
 * Default transfer fee: 0.2 %, at least 0.50, at most 100.00 in the wallet's currency.
 * For a currency without minor units the 0.50 minimum rounds up to 1.
 */
export function defaultTransferFeeRule(currency: string): PercentageFeeRule {
  const scale = 10n ** BigInt(minorDigits(currency));
  return { rate: '0.002', minMinor: (scale + 1n) / 2n, maxMinor: 100n * scale };
}
