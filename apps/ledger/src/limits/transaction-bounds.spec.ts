import { DomainError } from '@tally/contracts';
import { EnvReader } from '@tally/bootstrap';
import { RateBook } from '../fx/rate-book';
import {
  checkBaseCurrencyMaximum,
  checkTransactionBounds,
  DEFAULT_TRANSACTION_BOUNDS,
  readTransactionBounds as readFromReader,
  TransactionBoundsConfig,
  transactionBounds,
} from './transaction-bounds';

function readTransactionBounds(env: NodeJS.ProcessEnv) {
  const reader = new EnvReader(env);
  return { bounds: readFromReader(reader, 'MYR'), problems: reader.problems };
}

function refusal(amount: bigint, currency: string, config: TransactionBoundsConfig): DomainError | undefined {
  try {
    checkTransactionBounds(amount, currency, config);
    return undefined;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}

describe('checkTransactionBounds', () => {
  const config: TransactionBoundsConfig = { min: '1.00', max: '10000', baseCurrency: 'USD', perCurrency: { JPY: { min: '100', max: '1500000' } } };

  it('accepts an amount exactly at the minimum and exactly at the maximum', () => {
    expect(refusal(100n, 'USD', config)).toBeUndefined();
    expect(refusal(1_000_000n, 'USD', config)).toBeUndefined();
  });

  it('refuses one minor unit below the minimum with INVALID_AMOUNT naming the bound', () => {
    const err = refusal(99n, 'USD', config);
    expect(err?.code).toBe('INVALID_AMOUNT');
    expect(err?.details).toEqual({ limit: 'perTransactionMin', min: '1.00', currency: 'USD' });
  });

  it('refuses one minor unit above the maximum', () => {
    const err = refusal(1_000_001n, 'USD', config);
    expect(err?.code).toBe('INVALID_AMOUNT');
    expect(err?.details).toEqual({ limit: 'perTransactionMax', max: '10000.00', currency: 'USD' });
  });

  it('uses a currency’s own bounds when it has them', () => {
    expect(refusal(99n, 'JPY', config)?.details).toMatchObject({ limit: 'perTransactionMin', min: '100' });
    expect(refusal(100n, 'JPY', config)).toBeUndefined();
    expect(refusal(1_500_000n, 'JPY', config)).toBeUndefined();
    expect(refusal(1_500_001n, 'JPY', config)?.details).toMatchObject({ limit: 'perTransactionMax', max: '1500000' });
  });

  it('reads the default bounds in each currency’s own minor digits; only the base currency has its maximum in its own units', () => {
    expect(transactionBounds('MYR', DEFAULT_TRANSACTION_BOUNDS)).toEqual({ min: 1n, max: 5_000_000n });
    expect(transactionBounds('USD', DEFAULT_TRANSACTION_BOUNDS)).toEqual({ min: 1n });
    expect(transactionBounds('KWD', DEFAULT_TRANSACTION_BOUNDS)).toEqual({ min: 10n });
    // 0.01 yen does not exist: the minimum rounds up to one yen.
    expect(transactionBounds('JPY', DEFAULT_TRANSACTION_BOUNDS)).toEqual({ min: 1n });
  });

  it('rounds a bound finer than the currency: the minimum up, the maximum down', () => {
    expect(transactionBounds('USD', { min: '0.001', max: '5.009', baseCurrency: 'USD', perCurrency: {} })).toEqual({ min: 1n, max: 500n });
    expect(transactionBounds('USD', { min: '0.011', max: '5.00', baseCurrency: 'USD', perCurrency: {} })).toEqual({ min: 2n, max: 500n });
  });
});

describe('readTransactionBounds', () => {
  it('defaults to 0.01 in every currency and 50000 of the base currency', () => {
    expect(readTransactionBounds({})).toEqual({ bounds: DEFAULT_TRANSACTION_BOUNDS, problems: [] });
  });

  it('reads the general bounds and per-currency overrides', () => {
    const { bounds, problems } = readTransactionBounds({ LEDGER_TX_MIN: '1', LEDGER_TX_MAX: '5000', LEDGER_TX_MAX_JPY: '750000', LEDGER_TX_MIN_KWD: '0.5' });
    expect(problems).toEqual([]);
    expect(bounds).toEqual({ min: '1', max: '5000', baseCurrency: 'MYR', perCurrency: { JPY: { max: '750000' }, KWD: { min: '0.5' } } });
    expect(transactionBounds('JPY', bounds)).toEqual({ min: 1n, max: 750_000n });
    expect(transactionBounds('KWD', bounds)).toEqual({ min: 500n });
    expect(transactionBounds('MYR', bounds)).toEqual({ min: 100n, max: 500_000n });
  });

  it('names every bad variable', () => {
    const { problems } = readTransactionBounds({ LEDGER_TX_MIN: '-1', LEDGER_TX_MAX: '1e6', LEDGER_TX_MAX_XTS: '5', LEDGER_TX_MIN_MYR: '60000' });
    expect(problems).toEqual([
      'LEDGER_TX_MIN must be a plain decimal amount in major units (got "-1")',
      'LEDGER_TX_MAX must be a plain decimal amount in major units (got "1e6")',
      'LEDGER_TX_MAX_XTS must be a plain decimal amount in major units, <CUR> a supported currency (got "5"): XTS is not a currency Tally supports',
      'the per-transaction minimum for MYR is above its maximum (LEDGER_TX_MIN*/LEDGER_TX_MAX*)',
    ]);
  });
});

describe('checkBaseCurrencyMaximum', () => {
  const bounds: TransactionBoundsConfig = { ...DEFAULT_TRANSACTION_BOUNDS };
  const rates = new RateBook(
    [],
    [
      { base: 'USD', quote: 'MYR', rate: '4.70' },
      { base: 'GBP', quote: 'MYR', rate: '5.50' },
    ],
  );
  const refusal = (amount: bigint, currency: string) => {
    try {
      checkBaseCurrencyMaximum(amount, currency, bounds, rates);
      return undefined;
    } catch (err) {
      return err as DomainError;
    }
  };

  it('takes 50,000 MYR and refuses one sen more', () => {
    expect(refusal(5_000_000n, 'MYR')).toBeUndefined();
    expect(refusal(5_000_001n, 'MYR')?.details).toEqual({ limit: 'perTransactionMax', max: '50000.00', currency: 'MYR' });
  });

  it('values other currencies at the rate: 10,638.29 USD is within 50,000 MYR, 10,638.30 is not', () => {
    expect(refusal(1_063_829n, 'USD')).toBeUndefined();
    expect(refusal(1_063_830n, 'USD')?.details).toEqual({
      limit: 'perTransactionMax',
      max: '50000.00',
      currency: 'MYR',
      amountInBaseCurrency: '50000.01',
      rate: '4.70',
    });
    expect(refusal(999_900n, 'GBP')?.code).toBe('INVALID_AMOUNT');
  });

  it('refuses a currency it cannot value with FX_RATE_UNAVAILABLE', () => {
    expect([refusal(100n, 'EUR')?.code, refusal(100n, 'EUR')?.details]).toEqual(['FX_RATE_UNAVAILABLE', { from: 'EUR', to: 'MYR' }]);
  });
});
