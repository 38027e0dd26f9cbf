import { ConfigError } from '@tally/bootstrap';
import { transferFeeRule } from '../fees/transfer-fee';
import { DEV_PIN_PEPPERS, loadLedgerConfig } from './ledger.config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadLedgerConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message.split('\n  - ').slice(1);
  }
  return [];
}

describe('loadLedgerConfig', () => {
  it('starts with no variables set: the seed defaults', () => {
    const config = loadLedgerConfig({});
    expect(transferFeeRule('USD', config.transferFees)).toEqual({ rate: '0.002', minMinor: 50n, maxMinor: 10000n });
    expect(config).toMatchObject({ baseCurrency: 'MYR', defaultTimeZone: 'UTC', fraudFailOpenMaxMinor: null, fxRates: [] });
  });

  it('refuses a bad LEDGER_TRANSFER_FEE like a bad LEDGER_TX_MIN: both named at once, no silent default fee', () => {
    const problems = problemsOf({ LEDGER_TRANSFER_FEE: '0.2', LEDGER_TX_MIN: 'ten' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^LEDGER_TX_MIN must be a plain decimal amount in major units \(got "ten"\)/);
    expect(problems[1]).toMatch(/^LEDGER_TRANSFER_FEE must be percent,minimum,maximum .* \(got "0\.2"\)/);
  });

  it('names every bad variable of a broken environment in one error', () => {
    const problems = problemsOf({
      PORT: 'x',
      LEDGER_BASE_CURRENCY: 'XYZ',
      DEFAULT_DAILY_LIMIT: '10.5',
      LEDGER_DEFAULT_TIME_ZONE: 'Mars/Olympus',
      LEDGER_TRANSFER_FEE_JPY: '1%,5,2',
      LEDGER_FX_RATES: 'USD-MYR',
      LEDGER_USER_DAILY_LIMIT: '0',
      LEDGER_HOLD_SWEEP_MS: '1',
    });
    const named = problems.map((p) => /^(\w+)/.exec(p)?.[1]);
    expect(named.sort()).toEqual(
      [
        'DEFAULT_DAILY_LIMIT',
        'LEDGER_BASE_CURRENCY',
        'LEDGER_DEFAULT_TIME_ZONE',
        'LEDGER_FX_RATES',
        'LEDGER_HOLD_SWEEP_MS',
        'LEDGER_TRANSFER_FEE_JPY',
        'LEDGER_USER_DAILY_LIMIT',
        'PORT',
      ].sort(),
    );
  });

  it('reads the fail-open limit in the base currency and refuses an amount finer than its minor unit', () => {
    expect(loadLedgerConfig({ LEDGER_BASE_CURRENCY: 'JPY', LEDGER_FRAUD_FAIL_OPEN_MAX: '500' }).fraudFailOpenMaxMinor).toBe(500n);
    expect(problemsOf({ LEDGER_BASE_CURRENCY: 'JPY', LEDGER_FRAUD_FAIL_OPEN_MAX: '500.5' })[0]).toMatch(
      /^LEDGER_FRAUD_FAIL_OPEN_MAX must be an amount of the base currency \(JPY\)/,
    );
  });

  it('in production PIN_PEPPERS is required and never the development key, named in the message', () => {
    const pepper = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    expect(
      problemsOf({
        NODE_ENV: 'production',
        PIN_PEPPERS: pepper,
        ACTOR_ASSERTION_PUBLIC_KEYS: 'C'.repeat(43),
        KAFKA_USERNAME: 'tally-ledger',
        KAFKA_PASSWORD: 'p'.repeat(24),
      }),
    ).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'production' })).toContain('PIN_PEPPERS is required when NODE_ENV=production');
    expect(problemsOf({ NODE_ENV: 'production', PIN_PEPPERS: DEV_PIN_PEPPERS }).join('\n')).toContain(
      'PIN_PEPPERS must not be a development value from the repository',
    );
  });
});
