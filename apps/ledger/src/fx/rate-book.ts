import { DomainError } from '@tally/contracts';
import { convertMinor, findRate, FxRate } from '@tally/money';

/** A conversion as it is recorded: what went in, what came out, and the rate snapshot used. */
export interface FxConversion {
  from: string;
  to: string;
  amountMinor: bigint;
  convertedMinor: bigint;
  /** 1 `from` = rate `to`; for a derived inverse, the rounded inverse that was applied. */
  rate: string;
  /** The quote the rate came from, e.g. "USD/MYR 4.70", and whether it was inverted. */
  quote: string;
  inverted: boolean;
  /** Where the quote came from: LEDGER_FX_RATES, ledger.fx_rates, or no conversion at all (same currency). */
  source: 'config' | 'table' | 'same';
}

/**
 * The rates in force at one moment: LEDGER_FX_RATES for the pairs it names (either direction),
 * else the stored ledger.fx_rates rows. Converts without I/O, so a batch of commands decides on
 * one snapshot read with its locks.
 */
export class RateBook {
  constructor(
    private readonly configured: readonly FxRate[],
    private readonly stored: readonly FxRate[],
  ) {}

  /** Converts or throws CURRENCY_MISMATCH when no rate links the two currencies. */
  convert(amountMinor: bigint, from: string, to: string): FxConversion {
    const conversion = this.tryConvert(amountMinor, from, to);
    if (!conversion) throw new DomainError('CURRENCY_MISMATCH', `No exchange rate from ${from} to ${to}`, { from, to });
    return conversion;
  }

  /** Converts, or undefined when no rate links the two currencies (neither direction is quoted). */
  tryConvert(amountMinor: bigint, from: string, to: string): FxConversion | undefined {
    if (from === to) {
      return { from, to, amountMinor, convertedMinor: amountMinor, rate: '1', quote: `${from}/${to} 1`, inverted: false, source: 'same' };
    }
    const configured = this.configured.filter((r) => samePair(r, from, to));
    const quotes = configured.length > 0 ? configured : this.stored.filter((r) => samePair(r, from, to));
    const applied = findRate(quotes, from, to);
    if (!applied) return undefined;
    // findRate prefers the direct quote when both directions are stored; report the quote it used.
    const quoted = (applied.inverted ? quotes.find((q) => q.base === to && q.quote === from) : quotes.find((q) => q.base === from && q.quote === to)) as FxRate;
    return {
      from,
      to,
      amountMinor,
      convertedMinor: convertMinor(amountMinor, from, to, applied.rate),
      rate: applied.rate,
      quote: `${quoted.base}/${quoted.quote} ${quoted.rate}`,
      inverted: applied.inverted,
      source: configured.length > 0 ? 'config' : 'table',
    };
  }
}

function samePair(rate: FxRate, a: string, b: string): boolean {
  return (rate.base === a && rate.quote === b) || (rate.base === b && rate.quote === a);
}
