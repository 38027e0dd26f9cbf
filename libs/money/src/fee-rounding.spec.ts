import fc from 'fast-check';
import { MAX_MINOR_AMOUNT } from './amount';
import { minorDigits, SUPPORTED_CURRENCIES } from './currency';
import { defaultTransferFeeRule, percentageFee } from './fee';

/**
 * Fee rounding as plain integer arithmetic, written apart from fee.ts: amount × rate rounded
 * half-up to a whole minor unit, then held within [min, max]. A rate of n millionths is
 * (amount × n + 500 000) ÷ 1 000 000, truncated.
 */
function expectedFee(amount: bigint, rateMillionths: bigint, min: bigint, max: bigint): bigint {
  const raw = (amount * rateMillionths + 500_000n) / 1_000_000n;
  return raw < min ? min : raw > max ? max : raw;
}

const rateText = (millionths: number) => `0.${String(millionths).padStart(6, '0')}`;
const amount = fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT });
const currency = fc.constantFrom(...SUPPORTED_CURRENCIES);

describe('percentageFee rounding (fast-check)', () => {
  it('the default rule in every currency: 0.2 % half-up, at least 0.50 (1 where there are no minor units), at most 100.00', () => {
    fc.assert(
      fc.property(amount, currency, (x, c) => {
        const scale = 10n ** BigInt(minorDigits(c));
        const min = scale === 1n ? 1n : scale / 2n;
        expect(percentageFee(x, defaultTransferFeeRule(c))).toBe(expectedFee(x, 2_000n, min, 100n * scale));
      }),
      { numRuns: 1000 },
    );
  });

  it('any rate in millionths rounds half-up exactly (no float drift), within any bounds', () => {
    fc.assert(
      fc.property(
        amount,
        fc.integer({ min: 0, max: 999_999 }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        (x, r, a, b) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          expect(percentageFee(x, { rate: rateText(r), minMinor: min, maxMinor: max })).toBe(expectedFee(x, BigInt(r), min, max));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('an amount whose exact fee ends in exactly half a minor unit rounds up', () => {
    // 0.2 % of an amount ending in 250 (mod 500) is k + 0.5 minor units.
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (k) => {
        const x = k * 500n + 250n;
        const noBounds = { rate: '0.002', minMinor: 0n, maxMinor: MAX_MINOR_AMOUNT };
        expect(percentageFee(x, noBounds)).toBe(k + 1n);
      }),
      { numRuns: 500 },
    );
  });

  it('never decreases as the amount grows, for any rate and bounds', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT / 2n }),
        fc.bigInt({ min: 0n, max: MAX_MINOR_AMOUNT / 2n }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        (x, extra, r, a, b) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          const rule = { rate: rateText(r), minMinor: min, maxMinor: max };
          expect(percentageFee(x + extra, rule)).toBeGreaterThanOrEqual(percentageFee(x, rule));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('splitting an amount never saves more than the rounding of each part: fee(a) + fee(b) is within one minor unit of fee(a + b) between the bounds', () => {
    const noBounds = { rate: '0.002', minMinor: 0n, maxMinor: MAX_MINOR_AMOUNT };
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT / 2n }), fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT / 2n }), (a, b) => {
        const split = percentageFee(a, noBounds) + percentageFee(b, noBounds);
        const whole = percentageFee(a + b, noBounds);
        expect(split - whole).toBeGreaterThanOrEqual(-1n);
        expect(split - whole).toBeLessThanOrEqual(1n);
      }),
      { numRuns: 1000 },
    );
  });
});
