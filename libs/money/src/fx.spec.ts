import Big from 'big.js';
import fc from 'fast-check';
import { MAX_MINOR_AMOUNT } from './amount';
import { minorDigits, SUPPORTED_CURRENCIES } from './currency';
import { convertMinor, findRate, FxRatesFormatError, invertRate, isValidRate, parseFxRates } from './fx';

/** The seed's defaults: 1 SGD = 3.50 MYR, 1 USD = 4.70 MYR. */
const SEED = [
  { base: 'SGD', quote: 'MYR', rate: '3.50' },
  { base: 'USD', quote: 'MYR', rate: '4.70' },
];

/** A rate as decimal text with up to 6 decimals, between 0.000001 and 100000. */
const rateText = fc
  .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 999_999 }))
  .filter(([whole, fraction]) => whole > 0 || fraction > 0)
  .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(6, '0')}`);

/** The exact (unrounded) converted value in target minor units, in big.js. */
function exact(amountMinor: bigint, from: string, to: string, rate: string): Big {
  const shift = minorDigits(to) - minorDigits(from);
  const value = new Big(amountMinor.toString()).times(rate);
  return shift >= 0 ? value.times(new Big(10).pow(shift)) : value.div(new Big(10).pow(-shift));
}

describe('convertMinor: a purchase in USD from a MYR wallet at USD/MYR 4.70', () => {
  it('10.00 USD is 47.00 MYR (4700n)', () => {
    expect(convertMinor(1000n, 'USD', 'MYR', '4.70')).toBe(4700n);
  });

  it('0.01 USD is 0.047 MYR, rounds half-up to 0.05 MYR (5n)', () => {
    expect(convertMinor(1n, 'USD', 'MYR', '4.70')).toBe(5n);
  });

  it('12.34 USD is 57.998 MYR, rounds to 58.00 MYR (5800n)', () => {
    expect(convertMinor(1234n, 'USD', 'MYR', '4.70')).toBe(5800n);
  });
});

describe('convertMinor: rounding at exactly half a minor unit', () => {
  it('0.01 at rate 4.5 is 0.045, rounds half-up to 0.05 (5n), not half-even 0.04', () => {
    expect(convertMinor(1n, 'USD', 'MYR', '4.5')).toBe(5n);
  });

  it('0.01 at rate 2.5 is 0.025, rounds half-up to 0.03 (3n)', () => {
    expect(convertMinor(1n, 'SGD', 'MYR', '2.5')).toBe(3n);
  });

  it('just below half (0.0449999) rounds down to 0.04 (4n)', () => {
    expect(convertMinor(1n, 'USD', 'MYR', '4.49999')).toBe(4n);
  });

  it('a tiny amount can round to zero (the caller refuses it)', () => {
    expect(convertMinor(1n, 'MYR', 'USD', invertRate('4.70'))).toBe(0n);
  });
});

describe('convertMinor: currencies with different minor digits', () => {
  it('1000 JPY at JPY/KWD 0.002 is 2.000 KWD (2000n)', () => {
    expect(convertMinor(1000n, 'JPY', 'KWD', '0.002')).toBe(2000n);
  });

  it('1.000 KWD at KWD/JPY 480.5 is 480.5 JPY, rounds half-up to 481 JPY', () => {
    expect(convertMinor(1000n, 'KWD', 'JPY', '480.5')).toBe(481n);
  });

  it('1.234 KWD at KWD/USD 3.25 is 4.0105 USD, rounds to 4.01 USD (401n)', () => {
    expect(convertMinor(1234n, 'KWD', 'USD', '3.25')).toBe(401n);
  });

  it('rate 1 between same-digit currencies is the identity', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT }), (x) => {
        expect(convertMinor(x, 'USD', 'EUR', '1')).toBe(x);
      }),
    );
  });
});

describe('convertMinor properties (fast-check)', () => {
  const currency = fc.constantFrom(...SUPPORTED_CURRENCIES);

  it('is within half a minor unit of the exact value, and exactly half always rounds up', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT }), currency, currency, rateText, (x, from, to, rate) => {
        const converted = new Big(convertMinor(x, from, to, rate).toString());
        const value = exact(x, from, to, rate);
        const error = converted.minus(value);
        expect(error.abs().lte('0.5')).toBe(true);
        if (error.abs().eq('0.5')) expect(error.gt(0)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never decreases when the amount grows (monotonic)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        currency,
        currency,
        rateText,
        (x, extra, from, to, rate) => {
          expect(convertMinor(x + extra, from, to, rate) >= convertMinor(x, from, to, rate)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('there and back through the inverse rate stays within a minor unit plus the rounding of the way out', () => {
    // MYR → USD rounds by at most 0.5 US cent, which is worth 0.5 × 4.70 MYR cents on the way back.
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), (myr) => {
        const usd = convertMinor(myr, 'MYR', 'USD', invertRate('4.70'));
        const back = convertMinor(usd, 'USD', 'MYR', '4.70');
        const drift = back > myr ? back - myr : myr - back;
        expect(drift <= 3n).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('invertRate', () => {
  it('1 ÷ 4.70 to 15 significant digits, half-up', () => {
    expect(invertRate('4.70')).toBe('0.212765957446809');
  });

  it('1 ÷ 3.50 = 0.285714285714286 (the last digit rounded up)', () => {
    expect(invertRate('3.50')).toBe('0.285714285714286');
  });

  it('an exact inverse keeps no trailing digits: 1 ÷ 0.002 = 500', () => {
    expect(invertRate('0.002')).toBe('500');
  });

  it('keeps 15 significant digits for a small inverse (1 ÷ 30000)', () => {
    expect(invertRate('30000')).toBe('0.0000333333333333333');
  });

  it('refuses zero and negative rates', () => {
    expect(() => invertRate('0')).toThrow(RangeError);
    expect(() => invertRate('-1')).toThrow(RangeError);
  });

  it('is within half a unit in the 15th significant digit of the exact inverse (fast-check)', () => {
    fc.assert(
      fc.property(rateText, (rate) => {
        const inverse = new Big(invertRate(rate));
        const product = inverse.times(rate);
        // inverse × rate is 1 within the relative rounding error 5e-15.
        expect(product.minus(1).abs().lte('0.000000000000005')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('findRate', () => {
  it('uses the direct quote USD/MYR for USD → MYR', () => {
    expect(findRate(SEED, 'USD', 'MYR')).toEqual({ from: 'USD', to: 'MYR', rate: '4.70', inverted: false });
  });

  it('derives MYR → SGD from the SGD/MYR quote', () => {
    expect(findRate(SEED, 'MYR', 'SGD')).toEqual({ from: 'MYR', to: 'SGD', rate: '0.285714285714286', inverted: true });
  });

  it('prefers a direct quote over the inverse of the opposite one', () => {
    const rates = [...SEED, { base: 'MYR', quote: 'USD', rate: '0.21' }];
    expect(findRate(rates, 'MYR', 'USD')?.rate).toBe('0.21');
  });

  it('is rate 1 for the same currency', () => {
    expect(findRate([], 'MYR', 'MYR')).toEqual({ from: 'MYR', to: 'MYR', rate: '1', inverted: false });
  });

  it('has no cross rates: SGD → USD is undefined with only MYR quotes', () => {
    expect(findRate(SEED, 'SGD', 'USD')).toBeUndefined();
  });
});

describe('parseFxRates', () => {
  it('parses the seed defaults', () => {
    expect(parseFxRates('SGD/MYR=3.50,USD/MYR=4.70')).toEqual(SEED);
  });

  it('allows spaces around items and an empty text', () => {
    expect(parseFxRates(' SGD/MYR=3.50 , USD/MYR=4.70 ')).toEqual(SEED);
    expect(parseFxRates('')).toEqual([]);
  });

  it.each([
    ['a missing rate', 'USD/MYR='],
    ['no slash', 'USDMYR=4.70'],
    ['lower-case codes', 'usd/myr=4.70'],
    ['an unsupported currency', 'XTS/MYR=1'],
    ['a currency to itself', 'MYR/MYR=1'],
    ['a zero rate', 'USD/MYR=0'],
    ['a negative rate', 'USD/MYR=-4.70'],
    ['an exponent', 'USD/MYR=4.7e0'],
    ['too many decimals', 'USD/MYR=4.7000000000000001'],
    ['a pair given twice', 'USD/MYR=4.70,USD/MYR=4.71'],
    ['a pair given in both directions', 'USD/MYR=4.70,MYR/USD=0.21'],
  ])('refuses %s', (_label, text) => {
    expect(() => parseFxRates(text)).toThrow(FxRatesFormatError);
  });
});

describe('isValidRate', () => {
  it.each(['1', '4.70', '0.000000000000001', '123456789.5'])('accepts %s', (rate) => {
    expect(isValidRate(rate)).toBe(true);
  });

  it.each(['0', '0.000', '-1', '1e3', '.5', '1.', '', 'abc'])('refuses %p', (rate) => {
    expect(isValidRate(rate)).toBe(false);
  });

  it('refuses a number (rates travel as decimal text)', () => {
    expect(isValidRate(4.7)).toBe(false);
  });
});
