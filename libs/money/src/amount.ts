import { minorDigits } from './currency';

/** Largest amount accepted in one request, in minor units (10^15: beyond any wallet, inside bigint and NUMERIC(20)). */
export const MAX_MINOR_AMOUNT = 10n ** 15n;

export class InvalidAmountError extends Error {
  readonly code = 'INVALID_AMOUNT';
  constructor(message: string) {
    super(message);
  }
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a positive decimal amount in major units into integer minor units.
 * Accepts a decimal string, or a JSON number (converted through its shortest decimal form).
 * Rejects more decimals than the currency allows, zero, negatives, exponents and out-of-bound values.
 */
export function parseAmount(input: unknown, currency: string): bigint {
  const digits = minorDigits(currency);
  let text: string;
  if (typeof input === 'string') {
    text = input.trim();
  } else if (typeof input === 'number' && Number.isFinite(input)) {
    text = String(input);
  } else {
    throw new InvalidAmountError('Amount must be a decimal string or number');
  }
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new InvalidAmountError(`Amount "${text}" is not a plain positive decimal`);
  }
  const [, whole, fraction = ''] = match;
  if (fraction.length > digits) {
    throw new InvalidAmountError(`${currency} allows at most ${digits} decimal places`);
  }
  const minor = BigInt(whole + fraction.padEnd(digits, '0'));
  if (minor <= 0n) {
    throw new InvalidAmountError('Amount must be greater than zero');
  }
  if (minor > MAX_MINOR_AMOUNT) {
    throw new InvalidAmountError('Amount is above the maximum allowed');
  }
  return minor;
}

/** Formats integer minor units as a decimal string with exactly the currency's minor digits. */
export function formatAmount(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const abs = (negative ? -minor : minor).toString();
  if (digits === 0) {
    return (negative ? '-' : '') + abs;
  }
  const padded = abs.padStart(digits + 1, '0');
  const whole = padded.slice(0, padded.length - digits);
  const fraction = padded.slice(padded.length - digits);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
