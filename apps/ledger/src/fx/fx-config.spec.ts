import { ConfigError } from '@tally/bootstrap';
import { loadLedgerConfig } from '../config/ledger.config';

function problem(env: NodeJS.ProcessEnv): string {
  try {
    loadLedgerConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('ledger FX and per-user limit configuration', () => {
  it('defaults: no rate overrides (the fx_rates table applies), base MYR, 100,000 per user per day (the seed)', () => {
    const config = loadLedgerConfig({});
    expect(config.fxRates).toEqual([]);
    expect(config.baseCurrency).toBe('MYR');
    expect(config.userDailyLimit).toBe('100000');
  });

  it("fraud's fail-open limit: off by default; an amount of the base currency; anything else named as a problem", () => {
    expect(loadLedgerConfig({}).fraudFailOpenMaxMinor).toBeNull();
    expect(loadLedgerConfig({ LEDGER_FRAUD_FAIL_OPEN_MAX: '' }).fraudFailOpenMaxMinor).toBeNull();
    expect(loadLedgerConfig({ LEDGER_FRAUD_FAIL_OPEN_MAX: '50' })).toMatchObject({ fraudFailOpenMaxMinor: 5000n, fraudFailOpenAfterMs: 60_000 });
    expect(loadLedgerConfig({ LEDGER_BASE_CURRENCY: 'JPY', LEDGER_FRAUD_FAIL_OPEN_MAX: '5000' }).fraudFailOpenMaxMinor).toBe(5000n);
    expect(problem({ LEDGER_FRAUD_FAIL_OPEN_MAX: '12.345' })).toMatch(/LEDGER_FRAUD_FAIL_OPEN_MAX must be an amount of the base currency \(MYR\)/);
    expect(problem({ LEDGER_FRAUD_FAIL_OPEN_MAX: '-1' })).toMatch(/LEDGER_FRAUD_FAIL_OPEN_MAX/);
    expect(problem({ LEDGER_FRAUD_FAIL_OPEN_AFTER_MS: '10' })).toMatch(/LEDGER_FRAUD_FAIL_OPEN_AFTER_MS/);
  });

  it('reads LEDGER_FX_RATES as BASE/QUOTE=rate pairs', () => {
    expect(loadLedgerConfig({ LEDGER_FX_RATES: 'SGD/MYR=3.45, USD/MYR=4.72' }).fxRates).toEqual([
      { base: 'SGD', quote: 'MYR', rate: '3.45' },
      { base: 'USD', quote: 'MYR', rate: '4.72' },
    ]);
  });

  it('reads LEDGER_BASE_CURRENCY and LEDGER_USER_DAILY_LIMIT', () => {
    const config = loadLedgerConfig({ LEDGER_BASE_CURRENCY: 'SGD', LEDGER_USER_DAILY_LIMIT: '25000' });
    expect(config.baseCurrency).toBe('SGD');
    expect(config.userDailyLimit).toBe('25000');
  });

  it.each([
    ['USD/MYR=four', /LEDGER_FX_RATES must be .*: "USD\/MYR=four": the rate must be a positive decimal/],
    ['USD/MYR=0', /LEDGER_FX_RATES must be .*"USD\/MYR=0"/],
    ['USD-MYR=4.70', /LEDGER_FX_RATES must be .*: "USD-MYR=4.70" is not BASE\/QUOTE=rate/],
    ['XTS/MYR=1', /LEDGER_FX_RATES must be .*unsupported currency/],
  ])('refuses LEDGER_FX_RATES=%p at start-up, naming the variable', (value, message) => {
    expect(problem({ LEDGER_FX_RATES: value })).toMatch(message);
  });

  it.each(['0', '-5', '1000.50', 'lots', '1e6'])('refuses LEDGER_USER_DAILY_LIMIT=%p', (value) => {
    expect(problem({ LEDGER_USER_DAILY_LIMIT: value })).toMatch(/LEDGER_USER_DAILY_LIMIT must be a whole number of major units above 0/);
  });

  it('refuses an unsupported LEDGER_BASE_CURRENCY', () => {
    expect(problem({ LEDGER_BASE_CURRENCY: 'XTS' })).toMatch(/LEDGER_BASE_CURRENCY must be a supported ISO 4217 code/);
  });

  it('reports every bad variable at once', () => {
    const message = problem({ LEDGER_FX_RATES: 'nonsense', LEDGER_USER_DAILY_LIMIT: '0', LEDGER_BASE_CURRENCY: 'XTS' });
    expect(message).toMatch(/LEDGER_FX_RATES/);
    expect(message).toMatch(/LEDGER_USER_DAILY_LIMIT/);
    expect(message).toMatch(/LEDGER_BASE_CURRENCY/);
  });
});
