import { EnvReader } from '@tally/bootstrap';
import { DomainError } from '@tally/contracts';
import { formatAmount, minorDigits, SUPPORTED_CURRENCIES } from '@tally/money';
import type { RateBook } from '../fx/rate-book';

/**
 * Smallest and largest amount one transaction may move, as decimal text in major units. `min`
 * applies to every currency in its own units (0.01 by default: one cent, one yen); `max` is in the
 * base currency and every other currency is valued at the rate in force (the transaction-processing
 * seed: at most 50,000 MYR equivalent). `perCurrency` adds a currency's own bounds in its own units.
 */
export interface TransactionBoundsConfig {
  min: string;
  max: string;
  baseCurrency: string;
  perCurrency: Record<string, { min?: string; max?: string }>;
}

export const DEFAULT_TRANSACTION_BOUNDS: TransactionBoundsConfig = { min: '0.01', max: '50000', baseCurrency: 'MYR', perCurrency: {} };

const MAJOR = /^(\d{1,13})(?:\.(\d{1,9}))?$/;

/**
 * The bounds of one currency in minor units, in its own units: the minimum (a minimum finer than
 * the currency's minor unit rounds up, 0.01 JPY → 1, never below one minor unit) and the
 * currency's own maximum when it has one (rounded down). The base-currency maximum is another check.
 */
export function transactionBounds(currency: string, config: TransactionBoundsConfig): { min: bigint; max?: bigint } {
  const override = config.perCurrency[currency] ?? {};
  const min = majorToMinor(override.min ?? config.min, currency, 'up');
  const max = override.max ?? (currency === config.baseCurrency ? config.max : undefined);
  return { min: min < 1n ? 1n : min, ...(max === undefined ? {} : { max: majorToMinor(max, currency, 'down') }) };
}

/**
 * Refuses an amount outside the bounds of its own currency with INVALID_AMOUNT (400), as api-v1
 * asks of an amount "out of bounds"; details say which bound and its value. Needs no rate, so it
 * runs before a command joins a batch; checkBaseCurrencyMaximum runs inside it.
 */
export function checkTransactionBounds(amount: bigint, currency: string, config: TransactionBoundsConfig): void {
  const { min, max } = transactionBounds(currency, config);
  if (amount < min) {
    const bound = formatAmount(min, currency);
    throw new DomainError('INVALID_AMOUNT', `The amount is below the minimum of ${bound} ${currency} per transaction`, {
      limit: 'perTransactionMin',
      min: bound,
      currency,
    });
  }
  if (max !== undefined && amount > max) {
    const bound = formatAmount(max, currency);
    throw new DomainError('INVALID_AMOUNT', `The amount is above the maximum of ${bound} ${currency} per transaction`, {
      limit: 'perTransactionMax',
      max: bound,
      currency,
    });
  }
}

/**
 * The per-transaction maximum in the base currency, for an amount in any currency valued at the
 * batch's rates: INVALID_AMOUNT above it, FX_RATE_UNAVAILABLE (422) when the currency has no rate
 * to the base currency, so nothing unvalued slips past the bound.
 */
export function checkBaseCurrencyMaximum(amount: bigint, currency: string, config: TransactionBoundsConfig, rates: RateBook): void {
  const base = config.baseCurrency;
  const valued = rates.tryConvert(amount, currency, base);
  if (!valued) {
    throw new DomainError('FX_RATE_UNAVAILABLE', `No exchange rate from ${currency} to ${base}, so the amount cannot be checked against the limits`, {
      from: currency,
      to: base,
    });
  }
  const max = majorToMinor(config.max, base, 'down');
  if (valued.convertedMinor > max) {
    const bound = formatAmount(max, base);
    throw new DomainError('INVALID_AMOUNT', `The amount is above the maximum of ${bound} ${base} (or its equivalent) per transaction`, {
      limit: 'perTransactionMax',
      max: bound,
      currency: base,
      ...(currency === base ? {} : { amountInBaseCurrency: formatAmount(valued.convertedMinor, base), rate: valued.rate }),
    });
  }
}

const AMOUNT_RULE = 'a plain decimal amount in major units';

function majorAmount(text: string): string {
  if (!MAJOR.test(text)) throw new Error('');
  return text;
}

/**
 * Reads LEDGER_TX_MIN (every currency, own units), LEDGER_TX_MAX (base currency) and
 * LEDGER_TX_MIN_<CUR> / LEDGER_TX_MAX_<CUR> (one currency, own units), all in major units; every
 * bad variable is a problem of the reader.
 */
export function readTransactionBounds(reader: EnvReader, baseCurrency: string): TransactionBoundsConfig {
  const bounds: TransactionBoundsConfig = {
    min: reader.parsed('LEDGER_TX_MIN', DEFAULT_TRANSACTION_BOUNDS.min, AMOUNT_RULE, majorAmount),
    max: reader.parsed('LEDGER_TX_MAX', DEFAULT_TRANSACTION_BOUNDS.max, AMOUNT_RULE, majorAmount),
    baseCurrency,
    perCurrency: {},
  };
  for (const bound of ['MIN', 'MAX'] as const) {
    const pattern = new RegExp(`^LEDGER_TX_${bound}_([A-Z]{3})$`);
    const found = reader.matching(pattern, `LEDGER_TX_${bound}_<CUR>`, `${AMOUNT_RULE}, <CUR> a supported currency`, (text, match) => {
      if (!SUPPORTED_CURRENCIES.includes(match[1])) throw new Error(`${match[1]} is not a currency Tally supports`);
      return majorAmount(text);
    });
    for (const { match, value } of found) (bounds.perCurrency[match[1]] ??= {})[bound === 'MIN' ? 'min' : 'max'] = value;
  }
  for (const currency of SUPPORTED_CURRENCIES) {
    const { min, max } = transactionBounds(currency, bounds);
    if (max !== undefined && min > max)
      reader.problems.push(`the per-transaction minimum for ${currency} is above its maximum (LEDGER_TX_MIN*/LEDGER_TX_MAX*)`);
  }
  return bounds;
}

/** Decimal major units to integer minor units, rounding a finer fraction up or down; no floats. */
function majorToMinor(text: string, currency: string, rounding: 'up' | 'down'): bigint {
  const match = MAJOR.exec(text);
  if (!match) throw new Error(`not a decimal amount: "${text}"`);
  const digits = minorDigits(currency);
  const [, whole, fraction = ''] = match;
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  const dropped = fraction.slice(digits);
  let minor = BigInt(whole + kept);
  if (rounding === 'up' && /[1-9]/.test(dropped)) minor += 1n;
  return minor;
}
