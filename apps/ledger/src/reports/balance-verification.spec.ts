import { balanceDifferences, BalanceTotals } from './balance-verification';

const totals = (postedDebits: bigint, postedCredits: bigint, pendingDebits = 0n, pendingCredits = 0n): BalanceTotals => ({
  postedDebits,
  postedCredits,
  pendingDebits,
  pendingCredits,
});

describe('balanceDifferences', () => {
  it('is empty when the balance row equals the fold of its postings', () => {
    expect(balanceDifferences('a', 'USD', totals(100n, 250n, 5n, 0n), totals(100n, 250n, 5n, 0n))).toEqual([]);
  });

  it('names each field that differs, with both amounts in the currency’s digits', () => {
    expect(balanceDifferences('a', 'USD', totals(100n, 250n, 5n), totals(100n, 251n, 0n))).toEqual([
      { accountId: 'a', currency: 'USD', field: 'postedCredits', expected: '2.50', actual: '2.51' },
      { accountId: 'a', currency: 'USD', field: 'pendingDebits', expected: '0.05', actual: '0.00' },
    ]);
  });

  it('formats JPY and KWD amounts, negative ones included', () => {
    expect(balanceDifferences('j', 'JPY', totals(0n, 0n, 0n, -3n), totals(0n, 0n, 0n, 0n))).toEqual([
      { accountId: 'j', currency: 'JPY', field: 'pendingCredits', expected: '-3', actual: '0' },
    ]);
    expect(balanceDifferences('k', 'KWD', totals(1250n, 0n), totals(1251n, 0n))[0]).toMatchObject({ expected: '1.250', actual: '1.251' });
  });
});
