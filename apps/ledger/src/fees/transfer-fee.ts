import Big from 'big.js';
import { isSupportedCurrency, minorDigits, PercentageFeeRule } from '@tally/money';

/** A fee rule as configured: percent of the amount, bounds in major units ("0.2%,0.50,100.00"). */
export interface TransferFeeSpec {
  percent: string;
  min: string;
  max: string;
}

export interface TransferFeeConfig {
  /** Applies to every currency without its own rule. */
  default: TransferFeeSpec;
  /** Per currency, e.g. LEDGER_TRANSFER_FEE_JPY. */
  byCurrency: Record<string, TransferFeeSpec>;
}

/** The wallet seed's fee: 0.2 %, at least 0.50, at most 100.00 of the wallet's currency. */
export const DEFAULT_TRANSFER_FEE = '0.2%,0.50,100.00';

const SPEC = /^(\d{1,2}(?:\.\d{1,4})?)%,(\d{1,12}(?:\.\d{1,3})?),(\d{1,12}(?:\.\d{1,3})?)$/;

export function parseTransferFeeSpec(text: string): TransferFeeSpec | undefined {
  const match = SPEC.exec(text.replace(/\s+/g, ''));
  if (!match) return undefined;
  const [, percent, min, max] = match;
  if (new Big(min).gt(max)) return undefined;
  return { percent, min, max };
}

/** Reads LEDGER_TRANSFER_FEE and LEDGER_TRANSFER_FEE_<CURRENCY>; problems name each bad variable. */
export function readTransferFees(env: NodeJS.ProcessEnv): { fees: TransferFeeConfig; problems: string[] } {
  const problems: string[] = [];
  const read = (name: string, text: string): TransferFeeSpec | undefined => {
    const spec = parseTransferFeeSpec(text);
    if (!spec) problems.push(`${name} must look like "0.2%,0.50,100.00" (percent, minimum, maximum in major units, minimum not above maximum)`);
    return spec;
  };
  const fallback = parseTransferFeeSpec(DEFAULT_TRANSFER_FEE) as TransferFeeSpec;
  const fees: TransferFeeConfig = { default: read('LEDGER_TRANSFER_FEE', env.LEDGER_TRANSFER_FEE ?? DEFAULT_TRANSFER_FEE) ?? fallback, byCurrency: {} };
  for (const [name, value] of Object.entries(env)) {
    const currency = /^LEDGER_TRANSFER_FEE_([A-Z]{3})$/.exec(name)?.[1];
    if (!currency || value === undefined) continue;
    if (!isSupportedCurrency(currency)) {
      problems.push(`${name} names an unsupported currency`);
      continue;
    }
    const spec = read(name, value);
    if (spec) fees.byCurrency[currency] = spec;
  }
  return { fees, problems };
}

/**
 * The rule in minor units of one currency. Bounds finer than the currency's minor unit round up
 * (0.50 in JPY is a minimum of 1 yen), so a fee never falls below the configured minimum.
 */
export function transferFeeRule(currency: string, config: TransferFeeConfig): PercentageFeeRule {
  const spec = config.byCurrency[currency] ?? config.default;
  const scale = new Big(10).pow(minorDigits(currency));
  const minor = (major: string) => BigInt(new Big(major).times(scale).round(0, Big.roundUp).toFixed(0));
  return { rate: new Big(spec.percent).div(100).toString(), minMinor: minor(spec.min), maxMinor: minor(spec.max) };
}
