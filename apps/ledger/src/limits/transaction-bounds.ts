import { DomainError } from '@tally/contracts';
import { formatAmount, minorDigits, SUPPORTED_CURRENCIES } from '@tally/money';

/**
 * Smallest and largest amount one transaction may move, in major units of its currency, as decimal
 * text. `min` and `max` apply to every currency unless `perCurrency` names it. Defaults come from
 * the wallet seed (MIN_TRANSACTION_AMOUNT 0.01, MAX_TRANSACTION_AMOUNT 10000).
 */
export interface TransactionBoundsConfig {
  min: string;
  max: string;
  perCurrency: Record<string, { min?: string; max?: string }>;
}

export const DEFAULT_TRANSACTION_BOUNDS: TransactionBoundsConfig = { min: '0.01', max: '10000', perCurrency: {} };

const MAJOR = /^(\d{1,13})(?:\.(\d{1,9}))?$/;

/**
 * The bounds of one currency in minor units. A minimum finer than the currency's minor unit rounds
 * up (0.01 JPY → 1), a maximum rounds down, and the minimum is never below one minor unit.
 */
export function transactionBounds(currency: string, config: TransactionBoundsConfig): { min: bigint; max: bigint } {
  const override = config.perCurrency[currency] ?? {};
  const min = majorToMinor(override.min ?? config.min, currency, 'up');
  return { min: min < 1n ? 1n : min, max: majorToMinor(override.max ?? config.max, currency, 'down') };
}

/**
 * Refuses an amount outside the per-transaction bounds of its currency with INVALID_AMOUNT (400),
 * as api-v1 asks of an amount "out of bounds"; details say which bound and its value.
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
  if (amount > max) {
    const bound = formatAmount(max, currency);
    throw new DomainError('INVALID_AMOUNT', `The amount is above the maximum of ${bound} ${currency} per transaction`, {
      limit: 'perTransactionMax',
      max: bound,
      currency,
    });
  }
}

/**
 * Reads LEDGER_TX_MIN / LEDGER_TX_MAX (every currency) and LEDGER_TX_MIN_<CUR> / LEDGER_TX_MAX_<CUR>
 * (one currency), all in major units. Returns the config and the problems found, each naming its
 * variable, for the service's config loader to report at start-up.
 */
export function readTransactionBounds(env: NodeJS.ProcessEnv): { bounds: TransactionBoundsConfig; problems: string[] } {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    if (!value) return undefined;
    if (!MAJOR.test(value)) {
      problems.push(`${name} must be a plain decimal amount in major units (got "${value}")`);
      return undefined;
    }
    return value;
  };
  const bounds: TransactionBoundsConfig = {
    min: read('LEDGER_TX_MIN') ?? DEFAULT_TRANSACTION_BOUNDS.min,
    max: read('LEDGER_TX_MAX') ?? DEFAULT_TRANSACTION_BOUNDS.max,
    perCurrency: {},
  };
  for (const name of Object.keys(env)) {
    const match = /^LEDGER_TX_(MIN|MAX)_([A-Z]{3})$/.exec(name);
    if (!match) continue;
    if (!SUPPORTED_CURRENCIES.includes(match[2])) {
      problems.push(`${name} names a currency Tally does not support`);
      continue;
    }
    const value = read(name);
    if (value === undefined) continue;
    const entry = (bounds.perCurrency[match[2]] ??= {});
    entry[match[1] === 'MIN' ? 'min' : 'max'] = value;
  }
  for (const currency of SUPPORTED_CURRENCIES) {
    const { min, max } = transactionBounds(currency, bounds);
    if (min > max) problems.push(`the per-transaction minimum for ${currency} is above its maximum (LEDGER_TX_MIN*/LEDGER_TX_MAX*)`);
  }
  return { bounds, problems };
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
