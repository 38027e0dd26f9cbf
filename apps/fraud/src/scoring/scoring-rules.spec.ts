import fc from 'fast-check';
import { decide, scoreTransaction } from './scoring-rules';

const HIGH_VALUE = 1_000_000n; // 10,000.00 in a 2-digit currency

function score(countLast10Minutes: number, amountMinor: bigint, highValueMinor = HIGH_VALUE) {
  return scoreTransaction({ countLast10Minutes, amountMinor, highValueMinor });
}

describe('scoreTransaction: velocity rule (more than 5 debits in 10 minutes, this one included)', () => {
  it('no prior debits: score 0, no flags', () => {
    expect(score(0, 100n)).toEqual({ score: 0, flags: [] });
  });

  it('4 prior + this = 5 in 10 minutes: at the threshold, no HIGH_VELOCITY', () => {
    expect(score(4, 100n)).toEqual({ score: 0, flags: [] });
  });

  it('5 prior + this = 6 in 10 minutes: just above, HIGH_VELOCITY (+20)', () => {
    expect(score(5, 100n)).toEqual({ score: 20, flags: ['HIGH_VELOCITY'] });
  });

  it('many prior debits still score 20 for velocity alone', () => {
    expect(score(500, 100n)).toEqual({ score: 20, flags: ['HIGH_VELOCITY'] });
  });
});

describe('scoreTransaction: high-value rule (strictly above highValueMinor)', () => {
  it('one minor unit below highValueMinor: no HIGH_VALUE', () => {
    expect(score(0, HIGH_VALUE - 1n)).toEqual({ score: 0, flags: [] });
  });

  it('amount equal to highValueMinor: no HIGH_VALUE', () => {
    expect(score(0, HIGH_VALUE)).toEqual({ score: 0, flags: [] });
  });

  it('one minor unit above highValueMinor: HIGH_VALUE (+20)', () => {
    expect(score(0, HIGH_VALUE + 1n)).toEqual({ score: 20, flags: ['HIGH_VALUE'] });
  });

  it('compares bigints exactly beyond Number.MAX_SAFE_INTEGER', () => {
    const threshold = 2n ** 53n + 1n;
    expect(score(0, threshold, threshold).flags).toEqual([]);
    expect(score(0, threshold + 1n, threshold).flags).toEqual(['HIGH_VALUE']);
  });
});

describe('scoreTransaction: both rules', () => {
  it('HIGH_VELOCITY and HIGH_VALUE together score 40, velocity flag first', () => {
    expect(score(5, HIGH_VALUE + 1n)).toEqual({ score: 40, flags: ['HIGH_VELOCITY', 'HIGH_VALUE'] });
  });

  it('at both thresholds exactly: score 0', () => {
    expect(score(4, HIGH_VALUE)).toEqual({ score: 0, flags: [] });
  });

  it('the score is always 20 × number of flags, within [0, 100]', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), (count, amount, high) => {
        const result = score(count, amount, high);
        expect(result.score).toBe(20 * result.flags.length);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
        expect(result.flags.includes('HIGH_VELOCITY')).toBe(count >= 5);
        expect(result.flags.includes('HIGH_VALUE')).toBe(amount > high);
      }),
    );
  });
});

describe('decide', () => {
  it("decide(59, 60) is 'approve' (just below the review threshold)", () => {
    expect(decide(59, 60)).toBe('approve');
  });

  it("decide(60, 60) is 'review' (at the threshold)", () => {
    expect(decide(60, 60)).toBe('review');
  });

  it("decide(61, 60) is 'review' (above the threshold)", () => {
    expect(decide(61, 60)).toBe('review');
  });

  it("decide(0, 60) is 'approve'", () => {
    expect(decide(0, 60)).toBe('approve');
  });

  it("both seed rules together (40) are approved at the default threshold 60", () => {
    expect(decide(score(5, HIGH_VALUE + 1n).score, 60)).toBe('approve');
  });

  it("both seed rules together (40) go to review at threshold 40", () => {
    expect(decide(score(5, HIGH_VALUE + 1n).score, 40)).toBe('review');
  });
});
