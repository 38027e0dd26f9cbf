import Big from 'big.js';
import { EnvReader } from '@tally/bootstrap';
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

const FEE_RULE = 'percent,minimum,maximum like "0.2%,0.50,100.00" (major units, minimum not above maximum)';

function feeSpec(text: string): TransferFeeSpec {
  const spec = parseTransferFeeSpec(text);
  if (!spec) throw new Error('');
  return spec;
}

/**
 * Reads LEDGER_TRANSFER_FEE and LEDGER_TRANSFER_FEE_<CURRENCY>: a bad value is a start-up problem
 * naming its variable (it used to fall back to the default fee without a word).
 */
export function readTransferFees(reader: EnvReader): TransferFeeConfig {
  const fallback = parseTransferFeeSpec(DEFAULT_TRANSFER_FEE) as TransferFeeSpec;
  const fees: TransferFeeConfig = {
    default: reader.parsed('LEDGER_TRANSFER_FEE', fallback, FEE_RULE, feeSpec, { shown: DEFAULT_TRANSFER_FEE }),
    byCurrency: {},
  };
  const overrides = reader.matching(
    /^LEDGER_TRANSFER_FEE_([A-Z]{3})$/,
    'LEDGER_TRANSFER_FEE_<CUR>',
    `${FEE_RULE}, <CUR> a supported currency`,
    (text, match) => {
      if (!isSupportedCurrency(match[1])) throw new Error(`${match[1]} is not a currency Tally supports`);
      return feeSpec(text);
    },
  );
  for (const { match, value } of overrides) fees.byCurrency[match[1]] = value;
  return fees;
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
