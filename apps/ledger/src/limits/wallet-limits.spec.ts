import { DomainError } from '@tally/contracts';
import { RateBook } from '../fx/rate-book';
import { walletLimitCaps, WalletLimitPolicy, walletLimits } from './wallet-limits';

describe('walletLimits', () => {
  const policy: WalletLimitPolicy = { defaultsCurrency: 'USD', defaultDaily: '1000', defaultMonthly: '10000', baseCurrency: 'MYR', userDailyLimit: '100000' };
  const rates = new RateBook(
    [],
    [
      { base: 'USD', quote: 'MYR', rate: '4.70' },
      { base: 'JPY', quote: 'MYR', rate: '0.030' },
    ],
  );
  const refusal = (fn: () => unknown) => {
    try {
      fn();
      return undefined;
    } catch (err) {
      return err as DomainError;
    }
  };

  it('gives a USD wallet the defaults as written, and a MYR or JPY wallet what they are worth, in whole units', () => {
    expect(walletLimits('USD', {}, policy, rates)).toEqual({ daily: 100_000n, monthly: 1_000_000n });
    expect(walletLimits('MYR', {}, policy, rates)).toEqual({ daily: 470_000n, monthly: 4_700_000n });
    // 1,000 USD = 4,700 MYR = 156,667 JPY (through the base currency, to the yen): not 1,000 yen.
    expect(walletLimits('JPY', {}, policy, rates)).toEqual({ daily: 156_667n, monthly: 1_566_667n });
  });

  it('caps a wallet at the per-user daily limit for a day and 31 of them for a month', () => {
    expect(walletLimitCaps('MYR', policy, rates)).toEqual({ daily: 10_000_000n, monthly: 310_000_000n });
    expect(walletLimitCaps('USD', policy, rates)).toEqual({ daily: 2_127_600n, monthly: 65_955_600n });
    expect(walletLimits('MYR', { daily: '100000', monthly: '3100000' }, policy, rates)).toEqual({ daily: 10_000_000n, monthly: 310_000_000n });
    expect(refusal(() => walletLimits('MYR', { daily: '100000.01' }, policy, rates))?.details).toEqual({
      field: 'dailyLimit',
      max: '100000.00',
      currency: 'MYR',
    });
    expect(refusal(() => walletLimits('USD', { monthly: '1000000' }, policy, rates))?.details).toEqual({
      field: 'monthlyLimit',
      max: '659556.00',
      currency: 'USD',
    });
  });

  it('refuses a daily limit above the monthly one, and a currency it cannot value', () => {
    expect(refusal(() => walletLimits('USD', { daily: '500', monthly: '400' }, policy, rates))?.message).toBe('dailyLimit cannot be above monthlyLimit');
    expect(refusal(() => walletLimits('EUR', {}, policy, rates))?.code).toBe('FX_RATE_UNAVAILABLE');
  });

  it('refuses a default limit the rates value below one whole unit as no usable rate, not a 500 from the table (the fuzz)', () => {
    const dear = new RateBook(
      [],
      [
        { base: 'USD', quote: 'MYR', rate: '4.70' },
        { base: 'KWD', quote: 'MYR', rate: '9000' },
      ],
    );
    expect(refusal(() => walletLimits('KWD', {}, policy, dear))?.details).toEqual({ field: 'dailyLimit', currency: 'KWD' });
    expect(refusal(() => walletLimits('KWD', {}, policy, dear))?.code).toBe('FX_RATE_UNAVAILABLE');
    expect(refusal(() => walletLimits('USD', { daily: '0' }, policy, rates))?.code).toBe('INVALID_AMOUNT');
    expect(walletLimits('KWD', { daily: '5', monthly: '50' }, policy, dear)).toEqual({ daily: 5_000n, monthly: 50_000n });
  });
});
