/** ISO 4217 minor-unit digits for the currencies Tally supports. */
const MINOR_DIGITS: Record<string, number> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  MYR: 2,
  SGD: 2,
  IDR: 2,
  THB: 2,
  AUD: 2,
  CAD: 2,
  CHF: 2,
  CNY: 2,
  INR: 2,
  JPY: 0,
  KRW: 0,
  VND: 0,
  KWD: 3,
  BHD: 3,
  JOD: 3,
};

export const SUPPORTED_CURRENCIES: readonly string[] = Object.freeze(Object.keys(MINOR_DIGITS).sort());

export function isSupportedCurrency(code: unknown): code is string {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(MINOR_DIGITS, code);
}

export function minorDigits(currency: string): number {
  if (!isSupportedCurrency(currency)) {
    throw new UnsupportedCurrencyError(currency);
  }
  return MINOR_DIGITS[currency];
}

export class UnsupportedCurrencyError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly currency: string) {
    super(`Unsupported currency: ${currency}`);
  }
}
