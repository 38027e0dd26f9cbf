import { budgetPeriod, percentOf, reachedThresholds } from './budget-period';

describe('budgetPeriod', () => {
  const at = new Date('2026-11-26T00:15:00Z');

  it('monthly: the calendar month in UTC', () => {
    expect(budgetPeriod('monthly', at)).toEqual({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') });
  });

  it('quarterly: Q4 runs October to December, ending at the new year', () => {
    expect(budgetPeriod('quarterly', at)).toEqual({ start: new Date('2026-10-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    expect(budgetPeriod('quarterly', new Date('2026-03-31T23:59:59Z')).start).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('yearly: the calendar year', () => {
    expect(budgetPeriod('yearly', at)).toEqual({ start: new Date('2026-01-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
  });
});

describe('thresholds and percent', () => {
  it('a threshold is reached at exactly its percent, not a minor unit before', () => {
    expect(reachedThresholds([50, 80, 100], 7999n, 10000n)).toEqual([50]);
    expect(reachedThresholds([50, 80, 100], 8000n, 10000n)).toEqual([50, 80]);
    expect(reachedThresholds([50, 80, 100], 12000n, 10000n)).toEqual([50, 80, 100]);
  });

  it('percent has two decimals and may pass 100', () => {
    expect(percentOf(1n, 3n)).toBe(33.33);
    expect(percentOf(12345n, 10000n)).toBe(123.45);
    expect(percentOf(0n, 10000n)).toBe(0);
  });
});
