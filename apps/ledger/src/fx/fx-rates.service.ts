import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FxRate } from '@tally/money';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { FxConversion, RateBook } from './rate-book';

export type { FxConversion } from './rate-book';

/**
 * Stored FX rates (ledger.fx_rates, seeded with the transaction-processing defaults), each pair
 * overridden by LEDGER_FX_RATES when that names it in either direction. The posting kernel reads
 * the table with its locks (one RateBook per batch); this serves everything else, reading the
 * table at call time, so a changed row applies to the next conversion.
 */
@Injectable()
export class FxRatesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** The rate book for rows read elsewhere (the kernel's batch load). */
  book(stored: readonly FxRate[]): RateBook {
    return new RateBook(this.config.fxRates, stored);
  }

  async current(manager: EntityManager = this.dataSource.manager): Promise<RateBook> {
    const stored: FxRate[] = await manager.query(`SELECT trim(base_currency) AS base, trim(quote_currency) AS quote, rate::text AS rate FROM ledger.fx_rates`);
    return this.book(stored);
  }

  /** Converts or throws CURRENCY_MISMATCH when no rate links the two currencies. */
  async convert(amountMinor: bigint, from: string, to: string, manager?: EntityManager): Promise<FxConversion> {
    return (await this.current(manager)).convert(amountMinor, from, to);
  }

  /** Converts, or undefined when no rate links the two currencies (neither direction is quoted). */
  async tryConvert(amountMinor: bigint, from: string, to: string, manager?: EntityManager): Promise<FxConversion | undefined> {
    return (await this.current(manager)).tryConvert(amountMinor, from, to);
  }
}
