import fc from 'fast-check';
import { MAX_MINOR_AMOUNT } from './amount';
import { SUPPORTED_CURRENCIES } from './currency';
import { defaultTransferFeeRule, percentageFee, PercentageFeeRule } from './fee';

describe('defaultTransferFeeRule', () => {
  it('USD: 0.2 %, min 0.50 (50n), max 100.00 (10000n)', () => {
    expect(defaultTransferFeeRule('USD')).toEqual({ rate: '0.002', minMinor: 50n, maxMinor: 10000n });
  });

  it('JPY: the 0.50 minimum rounds up to 1 (not 0); max 100', () => {
    expect(defaultTransferFeeRule('JPY')).toEqual({ rate: '0.002', minMinor: 1n, maxMinor: 100n });
  });

  it('KWD: min 0.500 (500n), max 100.000 (100000n)', () => {
    expect(defaultTransferFeeRule('KWD')).toEqual({ rate: '0.002', minMinor: 500n, maxMinor: 100000n });
  });

  it('throws for an unsupported currency', () => {
    expect(() => defaultTransferFeeRule('XTS')).toThrow(/Unsupported currency/);
  });
});

describe('percentageFee with the default USD rule', () => {
  const usd = defaultTransferFeeRule('USD');

  it('0.2 % of 100.00 USD is 0.20, raised to the 0.50 minimum (50n)', () => {
    expect(percentageFee(10000n, usd)).toBe(50n);
  });

  it('0.2 % of 1000.00 USD is 2.00 (200n)', () => {
    expect(percentageFee(100000n, usd)).toBe(200n);
  });

  it('0.2 % of 250.25 USD is 0.5005, rounds to 0.50 which is the minimum (50n)', () => {
    expect(percentageFee(25025n, usd)).toBe(50n);
  });

  it('0.2 % of 250.00 USD is exactly the 0.50 minimum (50n)', () => {
    expect(percentageFee(25000n, usd)).toBe(50n);
  });

  it('0.2 % of 250.50 USD is 0.501 which rounds to 0.50 (50n)', () => {
    expect(percentageFee(25050n, usd)).toBe(50n);
  });

  it('0.2 % of 251.00 USD is 0.502 which rounds to 0.50 (50n)', () => {
    expect(percentageFee(25100n, usd)).toBe(50n);
  });

  it('0.2 % of 252.50 USD is exactly 0.505, rounds half-up to 0.51 (51n)', () => {
    expect(percentageFee(25250n, usd)).toBe(51n);
  });

  it('0.2 % of 50000.00 USD is exactly the 100.00 maximum (10000n)', () => {
    expect(percentageFee(5000000n, usd)).toBe(10000n);
  });

  it('0.2 % of 60000.00 USD (120.00) is capped at 100.00 (10000n)', () => {
    expect(percentageFee(6000000n, usd)).toBe(10000n);
  });

  it('0.2 % of MAX_MINOR_AMOUNT is capped at 100.00 (10000n)', () => {
    expect(percentageFee(MAX_MINOR_AMOUNT, usd)).toBe(10000n);
  });
});

describe('percentageFee half-up rounding (rule with no minimum)', () => {
  const noMin: PercentageFeeRule = { rate: '0.002', minMinor: 0n, maxMinor: 10n ** 18n };

  it('1250n × 0.002 = 2.5 rounds half-up to 3n', () => {
    expect(percentageFee(1250n, noMin)).toBe(3n);
  });

  it('1125n × 0.002 = 2.25 rounds down to 2n', () => {
    expect(percentageFee(1125n, noMin)).toBe(2n);
  });

  it('1375n × 0.002 = 2.75 rounds up to 3n', () => {
    expect(percentageFee(1375n, noMin)).toBe(3n);
  });

  it('250n × 0.002 = 0.5 rounds half-up to 1n', () => {
    expect(percentageFee(250n, noMin)).toBe(1n);
  });

  it('249n × 0.002 = 0.498 rounds to 0n', () => {
    expect(percentageFee(249n, noMin)).toBe(0n);
  });

  it('uses exact decimal arithmetic: 0.1 % (rate "0.001") of 1500n = 1.5 → 2n, no float drift', () => {
    expect(percentageFee(1500n, { rate: '0.001', minMinor: 0n, maxMinor: 10n ** 18n })).toBe(2n);
  });

  it('is exact on amounts beyond Number.MAX_SAFE_INTEGER', () => {
    // 9007199254740993 × 0.002 = 18014398509481.986 → 18014398509482
    expect(percentageFee(9007199254740993n, noMin)).toBe(18014398509482n);
  });
});

describe('percentageFee with the default JPY rule', () => {
  const jpy = defaultTransferFeeRule('JPY');

  it('0.2 % of 100 JPY (0.2) is raised to the 1 JPY minimum, never 0', () => {
    expect(percentageFee(100n, jpy)).toBe(1n);
  });

  it('0.2 % of 1 JPY is still the 1 JPY minimum', () => {
    expect(percentageFee(1n, jpy)).toBe(1n);
  });

  it('0.2 % of 1250 JPY (2.5) rounds half-up to 3', () => {
    expect(percentageFee(1250n, jpy)).toBe(3n);
  });

  it('0.2 % of 10000 JPY is 20', () => {
    expect(percentageFee(10000n, jpy)).toBe(20n);
  });

  it('0.2 % of 1000000 JPY (2000) is capped at 100', () => {
    expect(percentageFee(1000000n, jpy)).toBe(100n);
  });
});

describe('percentageFee with the default KWD rule', () => {
  const kwd = defaultTransferFeeRule('KWD');

  it('0.2 % of 100.000 KWD (0.200) is raised to the 0.500 minimum (500n)', () => {
    expect(percentageFee(100000n, kwd)).toBe(500n);
  });

  it('0.2 % of 1000.000 KWD is 2.000 (2000n)', () => {
    expect(percentageFee(1000000n, kwd)).toBe(2000n);
  });

  it('0.2 % of 1000.250 KWD (2.0005) rounds half-up to 2.001 (2001n)', () => {
    expect(percentageFee(1000250n, kwd)).toBe(2001n);
  });

  it('0.2 % of 100000.000 KWD (200.000) is capped at 100.000 (100000n)', () => {
    expect(percentageFee(100000000n, kwd)).toBe(100000n);
  });
});

describe('percentageFee properties', () => {
  it('the default fee is always within [min, max] and never negative, for any amount and currency', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT }), fc.constantFrom(...SUPPORTED_CURRENCIES), (amount, currency) => {
        const rule = defaultTransferFeeRule(currency);
        const fee = percentageFee(amount, rule);
        expect(fee).toBeGreaterThanOrEqual(rule.minMinor);
        expect(fee).toBeLessThanOrEqual(rule.maxMinor);
        expect(fee).toBeGreaterThanOrEqual(0n);
        expect(fee).toBeGreaterThan(0n);
      }),
      { numRuns: 1000 },
    );
  });

  it('the fee is within [min, max] for arbitrary rates and bounds', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        (amount, rateMillionths, a, b) => {
          const [minMinor, maxMinor] = a <= b ? [a, b] : [b, a];
          // Built as decimal text: no binary floating point even in the test.
          const rate = `0.${String(rateMillionths).padStart(6, '0')}`;
          const fee = percentageFee(amount, { rate, minMinor, maxMinor });
          expect(fee).toBeGreaterThanOrEqual(minMinor);
          expect(fee).toBeLessThanOrEqual(maxMinor);
          expect(fee).toBeGreaterThanOrEqual(0n);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('the fee never decreases as the amount grows (same rule)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT - 1n }),
        fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT }),
        fc.constantFrom('USD', 'JPY', 'KWD'),
        (amount, delta, currency) => {
          const rule = defaultTransferFeeRule(currency);
          const bigger = amount + delta > MAX_MINOR_AMOUNT ? MAX_MINOR_AMOUNT : amount + delta;
          expect(percentageFee(bigger, rule)).toBeGreaterThanOrEqual(percentageFee(amount, rule));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matches exact half-up integer arithmetic for the 0.2 % rate between the bounds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT }), (amount) => {
        const rule = defaultTransferFeeRule('USD');
        // amount × 2 / 1000, half-up: floor((amount × 2 + 500) / 1000)
        let expected = (amount * 2n + 500n) / 1000n;
        if (expected < rule.minMinor) expected = rule.minMinor;
        if (expected > rule.maxMinor) expected = rule.maxMinor;
        expect(percentageFee(amount, rule)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
