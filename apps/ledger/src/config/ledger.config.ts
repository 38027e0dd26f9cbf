import { BaseConfig, EnvReader, readBaseConfig } from '@tally/bootstrap';

export interface LedgerConfig extends BaseConfig {
  schema: 'ledger';
  /** Default wallet limits in major units of the wallet's currency (the wallet seed's 1,000 / 10,000). */
  defaultDailyLimit: string;
  defaultMonthlyLimit: string;
  maxPinAttempts: number;
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

export function loadLedgerConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const reader = new EnvReader(env);
  const config: LedgerConfig = {
    ...readBaseConfig(reader, 'ledger', 8082),
    schema: 'ledger',
    defaultDailyLimit: reader.string('DEFAULT_DAILY_LIMIT', '1000'),
    defaultMonthlyLimit: reader.string('DEFAULT_MONTHLY_LIMIT', '10000'),
    maxPinAttempts: reader.int('MAX_PIN_ATTEMPTS', 5, 1, 20),
  };
  for (const name of ['DEFAULT_DAILY_LIMIT', 'DEFAULT_MONTHLY_LIMIT'] as const) {
    const value = name === 'DEFAULT_DAILY_LIMIT' ? config.defaultDailyLimit : config.defaultMonthlyLimit;
    if (!/^\d{1,12}$/.test(value)) reader.problems.push(`${name} must be a whole number of major units`);
  }
  reader.done();
  return config;
}
