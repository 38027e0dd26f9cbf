import fc from 'fast-check';
import { formatAmount, InvalidAmountError, MAX_MINOR_AMOUNT, parseAmount } from './amount';
import { SUPPORTED_CURRENCIES, UnsupportedCurrencyError } from './currency';

function rejection(input: unknown, currency: string): unknown {
  try {
    parseAmount(input, currency);
  } catch (error) {
    return error;
  }
  throw new Error(`parseAmount(${String(input)}, ${currency}) did not throw`);
}

function expectInvalid(input: unknown, currency: string): void {
  const error = rejection(input, currency);
  expect(error).toBeInstanceOf(InvalidAmountError);
  expect((error as InvalidAmountError).code).toBe('INVALID_AMOUNT');
}

describe('parseAmount', () => {
  describe('USD (2 minor digits)', () => {
    it('parses "100.50" to 10050 minor units', () => {
      expect(parseAmount('100.50', 'USD')).toBe(10050n);
    });

    it('parses the JSON number 100.5 to 10050 minor units', () => {
      expect(parseAmount(100.5, 'USD')).toBe(10050n);
    });

    it('parses a whole amount and pads the minor digits', () => {
      expect(parseAmount('100', 'USD')).toBe(10000n);
      expect(parseAmount('1.5', 'USD')).toBe(150n);
      expect(parseAmount(100, 'USD')).toBe(10000n);
    });

    it('parses the smallest unit "0.01" to 1n', () => {
      expect(parseAmount('0.01', 'USD')).toBe(1n);
    });

    it('trims surrounding whitespace of a string', () => {
      expect(parseAmount('  12.34 ', 'USD')).toBe(1234n);
    });

    it('rejects "1.001" (three decimals) with INVALID_AMOUNT', () => {
      expectInvalid('1.001', 'USD');
      expect((rejection('1.001', 'USD') as Error).message).toMatch(/USD allows at most 2 decimal places/);
    });

    it('rejects the JSON number 0.1 + 0.2 (too many decimals in its shortest form)', () => {
      expectInvalid(0.1 + 0.2, 'USD');
    });
  });

  describe('JPY (0 minor digits)', () => {
    it('parses "1500" to 1500n', () => {
      expect(parseAmount('1500', 'JPY')).toBe(1500n);
      expect(parseAmount(1500, 'JPY')).toBe(1500n);
    });

    it('rejects "1.5" with INVALID_AMOUNT', () => {
      expectInvalid('1.5', 'JPY');
    });

    it('rejects "1.0" (any decimals at all) with INVALID_AMOUNT', () => {
      expectInvalid('1.0', 'JPY');
    });
  });

  describe('KWD (3 minor digits)', () => {
    it('parses "1.25" to 1250n and "0.001" to 1n', () => {
      expect(parseAmount('1.25', 'KWD')).toBe(1250n);
      expect(parseAmount('0.001', 'KWD')).toBe(1n);
      expect(parseAmount('100.500', 'KWD')).toBe(100500n);
    });

    it('rejects "1.0001" (four decimals) with INVALID_AMOUNT', () => {
      expectInvalid('1.0001', 'KWD');
    });
  });

  describe('rejects values that are not a positive plain decimal', () => {
    it.each([
      ['"0"', '0'],
      ['"0.00"', '0.00'],
      ['"-1"', '-1'],
      ['"-0.01"', '-0.01'],
      ['"+1"', '+1'],
      ['"1e3"', '1e3'],
      ['"abc"', 'abc'],
      ['""', ''],
      ['"   "', '   '],
      ['".5"', '.5'],
      ['"1."', '1.'],
      ['"1,00"', '1,00'],
      ['"0x10"', '0x10'],
      ['"Infinity"', 'Infinity'],
      ['"NaN"', 'NaN'],
    ])('string %s', (_label, input) => {
      expectInvalid(input, 'USD');
    });

    it.each([
      ['0', 0],
      ['-1', -1],
      ['-0.5', -0.5],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
      ['1e21 (exponent form)', 1e21],
      ['1e-7 (exponent form)', 1e-7],
    ])('number %s', (_label, input) => {
      expectInvalid(input, 'USD');
    });

    it.each([
      ['null', null],
      ['undefined', undefined],
      ['a bigint', 100n],
      ['an object', { amount: '1.00' }],
      ['an array', ['1.00']],
      ['a boolean', true],
    ])('%s', (_label, input) => {
      expectInvalid(input, 'USD');
    });
  });

  describe('MAX_MINOR_AMOUNT bound', () => {
    it('is 10^15 minor units', () => {
      expect(MAX_MINOR_AMOUNT).toBe(1_000_000_000_000_000n);
    });

    it('accepts exactly MAX_MINOR_AMOUNT', () => {
      expect(parseAmount('10000000000000.00', 'USD')).toBe(MAX_MINOR_AMOUNT);
      expect(parseAmount('1000000000000000', 'JPY')).toBe(MAX_MINOR_AMOUNT);
      expect(parseAmount('1000000000000.000', 'KWD')).toBe(MAX_MINOR_AMOUNT);
    });

    it('rejects one minor unit above MAX_MINOR_AMOUNT', () => {
      expectInvalid('10000000000000.01', 'USD');
      expectInvalid('1000000000000001', 'JPY');
      expectInvalid('1000000000000.001', 'KWD');
    });

    it('rejects a huge amount far above the maximum', () => {
      expectInvalid('9'.repeat(40), 'USD');
    });
  });

  describe('unsupported currency', () => {
    it.each(['XTS', 'usd', '', 'US'])('throws UnsupportedCurrencyError for %p', (currency) => {
      expect(() => parseAmount('1.00', currency)).toThrow(UnsupportedCurrencyError);
    });

    it('checks the currency before the amount', () => {
      expect(() => parseAmount('abc', 'XTS')).toThrow(UnsupportedCurrencyError);
    });

    it('carries the VALIDATION_FAILED code and the currency', () => {
      try {
        parseAmount('1.00', 'XTS');
        throw new Error('did not throw');
      } catch (error) {
        expect(error).toBeInstanceOf(UnsupportedCurrencyError);
        expect((error as UnsupportedCurrencyError).code).toBe('VALIDATION_FAILED');
        expect((error as UnsupportedCurrencyError).currency).toBe('XTS');
      }
    });
  });
});

describe('formatAmount', () => {
  it("formats 5n USD as '0.05'", () => {
    expect(formatAmount(5n, 'USD')).toBe('0.05');
  });

  it("formats 10050n USD as '100.50'", () => {
    expect(formatAmount(10050n, 'USD')).toBe('100.50');
  });

  it("formats 0n USD as '0.00'", () => {
    expect(formatAmount(0n, 'USD')).toBe('0.00');
  });

  it("formats 1500n JPY as '1500'", () => {
    expect(formatAmount(1500n, 'JPY')).toBe('1500');
  });

  it("formats 1250n KWD as '1.250'", () => {
    expect(formatAmount(1250n, 'KWD')).toBe('1.250');
  });

  it("formats 1n KWD as '0.001'", () => {
    expect(formatAmount(1n, 'KWD')).toBe('0.001');
  });

  it('formats negative values with a leading minus', () => {
    expect(formatAmount(-5n, 'USD')).toBe('-0.05');
    expect(formatAmount(-10050n, 'USD')).toBe('-100.50');
    expect(formatAmount(-1500n, 'JPY')).toBe('-1500');
    expect(formatAmount(-1250n, 'KWD')).toBe('-1.250');
    expect(formatAmount(-1n, 'KWD')).toBe('-0.001');
  });

  it('formats MAX_MINOR_AMOUNT exactly', () => {
    expect(formatAmount(MAX_MINOR_AMOUNT, 'USD')).toBe('10000000000000.00');
  });

  it('throws UnsupportedCurrencyError for an unsupported currency', () => {
    expect(() => formatAmount(100n, 'XTS')).toThrow(UnsupportedCurrencyError);
  });
});

describe('parseAmount(formatAmount(x)) round trip', () => {
  it.each(['USD', 'JPY', 'KWD'])('holds for any bigint in [1, MAX_MINOR_AMOUNT] in %s', (currency) => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT }), (x) => {
        expect(parseAmount(formatAmount(x, currency), currency)).toBe(x);
      }),
      { numRuns: 500 },
    );
  });

  it('holds for every supported currency', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MINOR_AMOUNT }), fc.constantFrom(...SUPPORTED_CURRENCIES), (x, currency) => {
        expect(parseAmount(formatAmount(x, currency), currency)).toBe(x);
      }),
      { numRuns: 1000 },
    );
  });

  it('holds at the bounds 1 and MAX_MINOR_AMOUNT for every supported currency', () => {
    for (const currency of SUPPORTED_CURRENCIES) {
      expect(parseAmount(formatAmount(1n, currency), currency)).toBe(1n);
      expect(parseAmount(formatAmount(MAX_MINOR_AMOUNT, currency), currency)).toBe(MAX_MINOR_AMOUNT);
    }
  });
});
