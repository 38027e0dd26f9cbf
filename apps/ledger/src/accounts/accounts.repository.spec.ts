import { BalanceRow, walletFigures } from './accounts.repository';

function row(posted_debits: string, posted_credits: string, pending_debits: string, pending_credits = '0'): BalanceRow {
  return {
    account_id: '0192e4a0-7b1c-7def-8abc-0123456789ab',
    currency: 'USD',
    posted_debits,
    posted_credits,
    pending_debits,
    pending_credits,
  };
}

describe('walletFigures', () => {
  it('returns zeros for an undefined row (no balance yet)', () => {
    expect(walletFigures(undefined)).toEqual({ balance: 0n, pending: 0n, available: 0n });
  });

  it('returns zeros for an all-zero row', () => {
    expect(walletFigures(row('0', '0', '0'))).toEqual({ balance: 0n, pending: 0n, available: 0n });
  });

  it('balance = posted credits − posted debits; pending = pending debits; available = balance − pending', () => {
    // deposited 500.00, spent 120.50, 30.25 held for a pending transfer
    expect(walletFigures(row('12050', '50000', '3025'))).toEqual({ balance: 37950n, pending: 3025n, available: 34925n });
  });

  it('pending credits do not raise the available balance', () => {
    expect(walletFigures(row('0', '10000', '0', '99999'))).toEqual({ balance: 10000n, pending: 0n, available: 10000n });
  });

  it('available is zero when everything is held', () => {
    expect(walletFigures(row('0', '10000', '10000'))).toEqual({ balance: 10000n, pending: 10000n, available: 0n });
  });

  it('parses NUMERIC strings beyond Number.MAX_SAFE_INTEGER exactly', () => {
    const figures = walletFigures(row('1', '100000000000000000001', '2'));
    expect(figures).toEqual({ balance: 100000000000000000000n, pending: 2n, available: 99999999999999999998n });
  });

  it('returns bigints', () => {
    const figures = walletFigures(row('1', '2', '0'));
    expect(typeof figures.balance).toBe('bigint');
    expect(typeof figures.pending).toBe('bigint');
    expect(typeof figures.available).toBe('bigint');
  });

  it('a system (asset) account with more debits than credits has a negative balance', () => {
    expect(walletFigures(row('10000', '0', '0')).balance).toBe(-10000n);
  });
});
