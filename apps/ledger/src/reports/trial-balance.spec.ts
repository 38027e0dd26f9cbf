import { trialBalanceLine } from './trial-balance';

const row = (currency: string, posted: [string, string], pending: [string, string] = ['0', '0']) => ({
  currency,
  posted_debits: posted[0],
  posted_credits: posted[1],
  pending_debits: pending[0],
  pending_credits: pending[1],
  accounts: 4,
});

describe('trialBalanceLine', () => {
  it('formats USD totals with two decimals and calls equal totals balanced', () => {
    expect(trialBalanceLine(row('USD', ['62100', '62100'], ['5050', '5050']))).toEqual({
      currency: 'USD',
      totalDebits: '621.00',
      totalCredits: '621.00',
      pendingDebits: '50.50',
      pendingCredits: '50.50',
      balanced: true,
      accounts: 4,
    });
  });

  it('formats JPY without decimals and KWD with three', () => {
    expect(trialBalanceLine(row('JPY', ['1500', '1500']))).toMatchObject({ totalDebits: '1500', pendingDebits: '0' });
    expect(trialBalanceLine(row('KWD', ['1250', '1250']))).toMatchObject({ totalDebits: '1.250', totalCredits: '1.250' });
  });

  it('is unbalanced when posted totals differ by one minor unit', () => {
    expect(trialBalanceLine(row('USD', ['62100', '62101'])).balanced).toBe(false);
  });

  it('is unbalanced when pending totals differ, even with posted totals equal', () => {
    expect(trialBalanceLine(row('USD', ['100', '100'], ['5050', '5000'])).balanced).toBe(false);
  });

  it('keeps totals beyond 2^53 exact', () => {
    const huge = '9007199254740993'; // 2^53 + 1: a JS number would round it
    expect(trialBalanceLine(row('JPY', [huge, huge])).totalDebits).toBe(huge);
  });
});
