import { BaseConfig, EnvReader, readBaseConfig, SettingDocs } from '@tally/bootstrap';
import { FxRate, FxRatesFormatError, isSupportedCurrency, parseAmount, parseFxRates } from '@tally/money';
import { canonicalTimeZone } from '@tally/contracts';
import { readTransferFees, TransferFeeConfig } from '../fees/transfer-fee';
import type { WalletLimitPolicy } from '../limits/wallet-limits';
import { readTransactionBounds, TransactionBoundsConfig } from '../limits/transaction-bounds';
import { parsePinPeppers, PinKeys, pinKeys } from '../pins/pin-codec';

/** Development only (refused when NODE_ENV=production): the key PINs are hashed with when PIN_PEPPERS is unset. */
export const DEV_PIN_PEPPERS = `dev:${Buffer.from('tally development PIN pepper, never for production').toString('base64')}`;

export interface LedgerConfig extends BaseConfig {
  schema: 'ledger';
  /** Default wallet limits in major units of the wallet's currency (the wallet seed's 1,000 / 10,000). */
  defaultDailyLimit: string;
  defaultMonthlyLimit: string;
  /** The currency of defaultDailyLimit and defaultMonthlyLimit; other wallets get their value. */
  defaultLimitCurrency: string;
  maxPinAttempts: number;
  /** PIN_PEPPERS: the keys PINs are hashed with (the first for new PINs); see pins/pin-codec.ts. */
  pinKeys: PinKeys;
  /** How long a PIN stays locked after maxPinAttempts misses (PIN_LOCK_MINUTES). */
  pinLockMs: number;
  /** Time zone of a wallet opened without one (IANA name); its daily and monthly limits follow it. */
  defaultTimeZone: string;
  /** Per-transaction minimum and maximum per currency (see limits/transaction-bounds.ts). */
  transactionBounds: TransactionBoundsConfig;
  /** Most commands the posting kernel writes in one database transaction, and batches written at once (each on its own connection). */
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

/** What each variable is for (docs/configuration.md is generated from this and the loader). */
export const LEDGER_SETTINGS: SettingDocs = {
  DEFAULT_DAILY_LIMIT:
    "a new wallet's daily spending limit, in whole major units of DEFAULT_LIMIT_CURRENCY (a wallet in another currency gets its value at the rate in force, rounded down to whole units)",
  DEFAULT_LIMIT_CURRENCY: 'the currency DEFAULT_DAILY_LIMIT and DEFAULT_MONTHLY_LIMIT are written in (the wallet seed\'s "$1000 a day")',
  DEFAULT_MONTHLY_LIMIT: "a new wallet's monthly spending limit, in whole major units of DEFAULT_LIMIT_CURRENCY (valued like DEFAULT_DAILY_LIMIT)",
  MAX_PIN_ATTEMPTS: "wrong PINs before a wallet's PIN is locked",
  PIN_LOCK_MINUTES: "how long a PIN stays locked after MAX_PIN_ATTEMPTS misses (the owner's reset with the password, or an admin's unlock, ends it sooner)",
  PIN_PEPPERS:
    'the keys wallet PINs are hashed with (HMAC-SHA-256), `id:base64-secret` pairs (each secret at least 32 bytes), comma-separated; the first hashes new PINs, the others still verify (rotation: put the new key first; a PIN is stored again under it at its next right entry); required in production',
  LEDGER_DEFAULT_TIME_ZONE: 'the time zone (IANA name) of a wallet opened without `timeZone`; daily and monthly limits follow it',
  LEDGER_TX_MIN: 'the smallest amount of one transaction, in major units of every currency (a finer minimum rounds up to one minor unit)',
  LEDGER_TX_MAX:
    'the largest amount of one transaction, in major units of the base currency (LEDGER_BASE_CURRENCY); an amount in another currency is valued at the rate in force, and one with no rate is refused (`FX_RATE_UNAVAILABLE`)',
  'LEDGER_TX_MIN_<CUR>': 'the minimum for one currency, e.g. `LEDGER_TX_MIN_JPY=100`',
  'LEDGER_TX_MAX_<CUR>': 'a further maximum for one currency in its own units, e.g. `LEDGER_TX_MAX_JPY=1500000`',
  COMMAND_BATCH_MAX: 'most money commands the posting kernel writes in one database transaction (1: one command per transaction; see docs/performance.md)',
  COMMAND_BATCH_LANES: 'batches in flight at once, each on its own connection',
  LEDGER_TRANSFER_FEE:
    "transfer fee as percent, minimum, maximum in major units (a bound finer than the currency's minor unit rounds up, so 0.50 JPY is 1 yen)",
  'LEDGER_TRANSFER_FEE_<CUR>': 'the fee rule of one currency, e.g. `LEDGER_TRANSFER_FEE_JPY=0.2%,50,15000`',
  LEDGER_FX_RATES:
    'rates that override the `ledger.fx_rates` table (seeded `SGD/MYR=3.50`, `USD/MYR=4.70`) for the pairs named, e.g. `SGD/MYR=3.50,USD/MYR=4.70`; the opposite direction is 1 ÷ rate (15 significant digits)',
  LEDGER_BASE_CURRENCY: "the currency of the per-user daily limit and of fraud's fail-open limit",
  LEDGER_USER_DAILY_LIMIT:
    "what one user may spend per day across all wallets, in whole major units of the base currency (purchases, withdrawals and transfers out; currencies with no rate to the base are left to their wallets' limits)",
  LEDGER_HOLD_TIMEOUT_MS: 'a pending (held) transaction older than this is voided as expired',
  LEDGER_HOLD_SWEEP_MS: 'how often expired holds are looked for',
  LEDGER_FRAUD_FAIL_OPEN_MAX:
    "fraud's fail-open limit, an amount of the base currency (e.g. `50.00`): a held debit fraud has not scored after the wait, worth at most this, is posted (reason `fraud_fail_open`) by the hold sweep; unset: off",
  LEDGER_FRAUD_FAIL_OPEN_AFTER_MS: 'how long a held debit waits for fraud before the fail-open limit applies',
  LEDGER_BALANCE_FOLD_MS: 'how often balance deltas are folded into balance rows (see docs/design.md)',
};

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

/** The defaults and caps of wallet limits, from the configuration. */
export function walletLimitPolicy(config: LedgerConfig): WalletLimitPolicy {
  return {
    defaultsCurrency: config.defaultLimitCurrency,
    defaultDaily: config.defaultDailyLimit,
    defaultMonthly: config.defaultMonthlyLimit,
    baseCurrency: config.baseCurrency,
    userDailyLimit: config.userDailyLimit,
  };
}

export function loadLedgerConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const reader = new EnvReader(env);
  const base = readBaseConfig(reader, 'ledger', 8082);
  const baseCurrency = reader.parsed('LEDGER_BASE_CURRENCY', 'MYR', 'a supported ISO 4217 code', currencyCode);
  const config: LedgerConfig = {
    ...base,
    schema: 'ledger',
    defaultDailyLimit: reader.parsed('DEFAULT_DAILY_LIMIT', '1000', WHOLE_MAJOR, wholeMajorUnits),
    defaultMonthlyLimit: reader.parsed('DEFAULT_MONTHLY_LIMIT', '10000', WHOLE_MAJOR, wholeMajorUnits),
    defaultLimitCurrency: reader.parsed('DEFAULT_LIMIT_CURRENCY', 'USD', 'a supported ISO 4217 code', currencyCode),
    maxPinAttempts: reader.int('MAX_PIN_ATTEMPTS', 5, 1, 20),
    pinKeys: readPinKeys(reader),
    pinLockMs: reader.int('PIN_LOCK_MINUTES', 30, 1, 24 * 60) * 60_000,
    defaultTimeZone: reader.parsed('LEDGER_DEFAULT_TIME_ZONE', 'UTC', 'an IANA time-zone name such as Europe/Berlin', timeZone),
    transactionBounds: readTransactionBounds(reader, baseCurrency),
    commandBatchMax: reader.int('COMMAND_BATCH_MAX', 64, 1, 1000),
    commandBatchLanes: reader.int('COMMAND_BATCH_LANES', 2, 1, 64),
    transferFees: readTransferFees(reader),
    fxRates: reader.parsed('LEDGER_FX_RATES', [], 'pairs like SGD/MYR=3.50, comma-separated', fxRates, { shown: '' }),
    baseCurrency,
    userDailyLimit: reader.parsed('LEDGER_USER_DAILY_LIMIT', '100000', `${WHOLE_MAJOR} above 0`, (text) => positive(wholeMajorUnits(text))),
    holdTimeoutMs: reader.int('LEDGER_HOLD_TIMEOUT_MS', 24 * 60 * 60 * 1000, 1000, 30 * 24 * 60 * 60 * 1000),
    holdSweepMs: reader.int('LEDGER_HOLD_SWEEP_MS', 60 * 1000, 50, 60 * 60 * 1000),
    fraudFailOpenMaxMinor: reader.parsed<bigint | null>(
      'LEDGER_FRAUD_FAIL_OPEN_MAX',
      null,
      `an amount of the base currency (${baseCurrency}); unset: off`,
      (text) => parseAmount(text, baseCurrency),
    ),
    fraudFailOpenAfterMs: reader.int('LEDGER_FRAUD_FAIL_OPEN_AFTER_MS', 60 * 1000, 1000, 60 * 60 * 1000),
    balanceFoldMs: reader.int('LEDGER_BALANCE_FOLD_MS', 500, 10, 60 * 1000),
  };
  reader.done();
  return config;
}

const WHOLE_MAJOR = 'a whole number of major units';

function wholeMajorUnits(text: string): string {
  if (!/^\d{1,12}$/.test(text)) throw new Error('');
  return text;
}

function readPinKeys(reader: EnvReader): PinKeys {
  const text = reader.secret('PIN_PEPPERS', DEV_PIN_PEPPERS, 1);
  // The development key is refused in production by EnvReader.secret.
  try {
    return pinKeys(parsePinPeppers(text));
  } catch (err) {
    reader.problems.push(`PIN_PEPPERS must be id:base64-secret pairs, the first hashing new PINs: ${(err as Error).message}`);
    return pinKeys(parsePinPeppers(DEV_PIN_PEPPERS));
  }
}

function positive(text: string): string {
  if (/^0+$/.test(text)) throw new Error('');
  return text;
}

function currencyCode(text: string): string {
  if (!isSupportedCurrency(text)) throw new Error('');
  return text;
}

function timeZone(text: string): string {
  const zone = canonicalTimeZone(text);
  if (!zone) throw new Error('');
  return zone;
}

function fxRates(text: string): FxRate[] {
  try {
    return parseFxRates(text);
  } catch (err) {
    if (err instanceof FxRatesFormatError) throw new Error(err.message);
    throw err;
  }
}
