import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@tally/contracts';
import { AppliedRate, convertMinor, findRate, FxRate } from '@tally/money';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';

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
 * Stored FX rates (ledger.fx_rates, seeded with the transaction-processing defaults), each pair
 * overridden by LEDGER_FX_RATES when that names it in either direction. Rates are read at request
 * time, so a changed table row applies to the next conversion; the snapshot stays on the entry.
 */
@Injectable()
export class FxRatesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** Converts or throws CURRENCY_MISMATCH when no rate links the two currencies. */
  async convert(amountMinor: bigint, from: string, to: string, manager?: EntityManager): Promise<FxConversion> {
    const conversion = await this.tryConvert(amountMinor, from, to, manager);
    if (!conversion) {
      throw new DomainError('CURRENCY_MISMATCH', `No exchange rate from ${from} to ${to}`, { from, to });
    }
    return conversion;
  }

  /** Converts, or undefined when no rate links the two currencies (neither direction is quoted). */
  async tryConvert(amountMinor: bigint, from: string, to: string, manager?: EntityManager): Promise<FxConversion | undefined> {
    const found = await this.rate(from, to, manager);
    if (!found) return undefined;
    return {
      from,
      to,
      amountMinor,
      convertedMinor: convertMinor(amountMinor, from, to, found.applied.rate),
      rate: found.applied.rate,
      quote: `${found.quoted.base}/${found.quoted.quote} ${found.quoted.rate}`,
      inverted: found.applied.inverted,
      source: found.source,
    };
  }

  /** The quote of the pair (config first, else the table) and the rate it gives from → to. */
  private async rate(
    from: string,
    to: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ applied: AppliedRate; quoted: FxRate; source: FxConversion['source'] } | undefined> {
    if (from === to) return { applied: { from, to, rate: '1', inverted: false }, quoted: { base: from, quote: to, rate: '1' }, source: 'same' };
    const configured = this.config.fxRates.filter((r) => samePair(r, from, to));
    const quotes: FxRate[] =
      configured.length > 0
        ? configured
        : await manager.query(
            `SELECT trim(base_currency) AS base, trim(quote_currency) AS quote, rate::text AS rate
               FROM ledger.fx_rates
              WHERE (base_currency = $1 AND quote_currency = $2) OR (base_currency = $2 AND quote_currency = $1)`,
            [from, to],
          );
    const applied = findRate(quotes, from, to);
    if (!applied) return undefined;
    // findRate prefers the direct quote when both directions are stored; report the quote it used.
    const quoted = applied.inverted ? quotes.find((q) => q.base === to && q.quote === from) : quotes.find((q) => q.base === from && q.quote === to);
    return { applied, quoted: quoted as FxRate, source: configured.length > 0 ? 'config' : 'table' };
  }
}

function samePair(rate: FxRate, a: string, b: string): boolean {
  return (rate.base === a && rate.quote === b) || (rate.base === b && rate.quote === a);
}
