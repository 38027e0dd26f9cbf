import { BaseConfig, EnvReader, readBaseConfig } from '@tally/bootstrap';
import { FxRate, FxRatesFormatError, InvalidAmountError, isSupportedCurrency, parseAmount, parseFxRates } from '@tally/money';
import { canonicalTimeZone } from '../limits/spending-window';
import { readTransferFees, TransferFeeConfig } from '../fees/transfer-fee';
import { readTransactionBounds, TransactionBoundsConfig } from '../limits/transaction-bounds';

export interface LedgerConfig extends BaseConfig {
  schema: 'ledger';
  /** Default wallet limits in major units of the wallet's currency (the wallet seed's 1,000 / 10,000). */
  defaultDailyLimit: string;
  defaultMonthlyLimit: string;
  maxPinAttempts: number;
  /** Time zone of a wallet opened without one (IANA name); its daily and monthly limits follow it. */
  defaultTimeZone: string;
  /** Per-transaction minimum and maximum per currency (see limits/transaction-bounds.ts). */
  transactionBounds: TransactionBoundsConfig;
  /** Concurrent commands written in one database transaction (1, the default, turns batching off; see README), and batches in flight. */
  commandBatchMax: number;
  commandBatchLanes: number;
  /** Transfer fee per currency (LEDGER_TRANSFER_FEE, LEDGER_TRANSFER_FEE_<CURRENCY>; see fees/transfer-fee.ts). */
  transferFees: TransferFeeConfig;
  /** FX rates that override the stored ones (LEDGER_FX_RATES="SGD/MYR=3.50,USD/MYR=4.70"); none: the fx_rates table alone. */
  fxRates: FxRate[];
  /** The per-user daily limit across all wallets, in whole major units of baseCurrency (the seed's 100,000 MYR). */
  baseCurrency: string;
  userDailyLimit: string;
  /** A pending (held) transaction older than this is voided as expired; the sweep runs every holdSweepMs. */
  holdTimeoutMs: number;
  holdSweepMs: number;
  /**
   * Fraud's fail-open limit, off by default (null): a held debit that fraud has not scored after
   * fraudFailOpenAfterMs, worth at most this (minor units of baseCurrency), is posted without a
   * decision, so an outage of fraud does not stall small payments. Larger ones wait for fraud.
   */
  fraudFailOpenMaxMinor: bigint | null;
  fraudFailOpenAfterMs: number;
  /** How often balance deltas are folded into their balance rows (see BalanceDeltaFolder). */
  balanceFoldMs: number;
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

export function loadLedgerConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const reader = new EnvReader(env);
  const bounds = readTransactionBounds(env);
  const config: LedgerConfig = {
    ...readBaseConfig(reader, 'ledger', 8082),
    schema: 'ledger',
    defaultDailyLimit: reader.string('DEFAULT_DAILY_LIMIT', '1000'),
    defaultMonthlyLimit: reader.string('DEFAULT_MONTHLY_LIMIT', '10000'),
    maxPinAttempts: reader.int('MAX_PIN_ATTEMPTS', 5, 1, 20),
    defaultTimeZone: canonicalTimeZone(reader.string('LEDGER_DEFAULT_TIME_ZONE', 'UTC')) ?? '',
    transactionBounds: bounds.bounds,
    commandBatchMax: reader.int('COMMAND_BATCH_MAX', 1, 1, 500),
    commandBatchLanes: reader.int('COMMAND_BATCH_LANES', 1, 1, 16),
    transferFees: readTransferFees(env).fees,
    fxRates: readFxRates(reader),
    baseCurrency: reader.string('LEDGER_BASE_CURRENCY', 'MYR'),
    userDailyLimit: reader.string('LEDGER_USER_DAILY_LIMIT', '100000'),
    holdTimeoutMs: reader.int('LEDGER_HOLD_TIMEOUT_MS', 24 * 60 * 60 * 1000, 1000, 30 * 24 * 60 * 60 * 1000),
    holdSweepMs: reader.int('LEDGER_HOLD_SWEEP_MS', 60 * 1000, 50, 60 * 60 * 1000),
    fraudFailOpenMaxMinor: null,
    fraudFailOpenAfterMs: reader.int('LEDGER_FRAUD_FAIL_OPEN_AFTER_MS', 60 * 1000, 1000, 60 * 60 * 1000),
    balanceFoldMs: reader.int('LEDGER_BALANCE_FOLD_MS', 500, 10, 60 * 1000),
  };
  for (const name of ['DEFAULT_DAILY_LIMIT', 'DEFAULT_MONTHLY_LIMIT'] as const) {
    const value = name === 'DEFAULT_DAILY_LIMIT' ? config.defaultDailyLimit : config.defaultMonthlyLimit;
    if (!/^\d{1,12}$/.test(value)) reader.problems.push(`${name} must be a whole number of major units`);
  }
  if (!config.defaultTimeZone) reader.problems.push('LEDGER_DEFAULT_TIME_ZONE must be an IANA time-zone name such as Europe/Berlin');
  reader.problems.push(...bounds.problems);
  if (!isSupportedCurrency(config.baseCurrency)) reader.problems.push('LEDGER_BASE_CURRENCY must be a supported ISO 4217 code');
  config.fraudFailOpenMaxMinor = readFailOpenMax(reader, config.baseCurrency);
  if (!/^[1-9]\d{0,11}$/.test(config.userDailyLimit)) reader.problems.push('LEDGER_USER_DAILY_LIMIT must be a whole number of major units above 0');
  reader.done();
  return config;
}

/** LEDGER_FRAUD_FAIL_OPEN_MAX: an amount in the base currency (e.g. "50.00"); empty or unset: off. */
function readFailOpenMax(reader: EnvReader, baseCurrency: string): bigint | null {
  const text = reader.string('LEDGER_FRAUD_FAIL_OPEN_MAX', '').trim();
  if (text === '' || !isSupportedCurrency(baseCurrency)) return null;
  try {
    return parseAmount(text, baseCurrency);
  } catch (err) {
    if (!(err instanceof InvalidAmountError)) throw err;
    reader.problems.push(`LEDGER_FRAUD_FAIL_OPEN_MAX must be an amount in ${baseCurrency} (empty turns it off): ${err.message}`);
    return null;
  }
}

function readFxRates(reader: EnvReader): FxRate[] {
  try {
    return parseFxRates(reader.string('LEDGER_FX_RATES', ''));
  } catch (err) {
    if (!(err instanceof FxRatesFormatError)) throw err;
    reader.problems.push(`LEDGER_FX_RATES: ${err.message}`);
    return [];
  }
}
