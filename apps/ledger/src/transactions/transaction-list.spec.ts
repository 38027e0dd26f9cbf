import { DomainError } from '@tally/contracts';
import { transactionFilter } from './transaction-list';

const USER = '01a20000-0000-7000-8000-000000000001';

function problems(query: Record<string, string>): Record<string, string> {
  try {
    transactionFilter(USER, query);
  } catch (err) {
    if (err instanceof DomainError) return err.details as Record<string, string>;
    throw err;
  }
  return {};
}

describe('transaction list query', () => {
  it('defaults to the newest 50 of the caller', () => {
    expect(transactionFilter(USER, {})).toEqual({
      userId: USER,
      walletId: undefined,
      type: undefined,
      status: undefined,
      merchantCategory: undefined,
      from: undefined,
      to: undefined,
      minAmount: undefined,
      maxAmount: undefined,
      limit: 50,
      offset: 0,
      sortBy: 'createdAt',
      sortOrder: 'desc',
    });
  });

  it('takes every filter of api-v1', () => {
    const f = transactionFilter(USER, {
      walletId: '01a20000-0000-7000-8000-000000000002',
      type: 'purchase',
      status: 'completed',
      merchantCategory: 'food_beverage',
      from: '2026-11-01',
      to: '2026-12-01T00:00:00Z',
      minAmount: '10.50',
      maxAmount: '100',
      limit: '100',
      offset: '20',
      sortBy: 'amount',
      sortOrder: 'asc',
    });
    expect(f).toMatchObject({
      type: 'purchase',
      status: 'completed',
      minAmount: '10.50',
      maxAmount: '100',
      limit: 100,
      offset: 20,
      sortBy: 'amount',
      sortOrder: 'asc',
    });
    expect(f.from?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('names each bad parameter', () => {
    expect(problems({ limit: '0' })).toHaveProperty('limit');
    expect(problems({ limit: '101' })).toHaveProperty('limit');
    expect(problems({ limit: '1.5' })).toHaveProperty('limit');
    expect(problems({ offset: '-1' })).toHaveProperty('offset');
    expect(problems({ type: 'gift' })).toHaveProperty('type');
    expect(problems({ status: 'done' })).toHaveProperty('status');
    expect(problems({ sortBy: 'id; DROP TABLE x' })).toHaveProperty('sortBy');
    expect(problems({ sortOrder: 'up' })).toHaveProperty('sortOrder');
    expect(problems({ walletId: 'abc' })).toHaveProperty('walletId');
    expect(problems({ from: 'yesterday' })).toHaveProperty('from');
    expect(problems({ from: '2026-12-01', to: '2026-11-01' })).toHaveProperty('to');
    expect(problems({ minAmount: '1e3' })).toHaveProperty('minAmount');
    expect(problems({ minAmount: '20', maxAmount: '10.00' })).toHaveProperty('maxAmount');
    expect(problems({ merchantCategory: 'Food & Drink' })).toHaveProperty('merchantCategory');
  });

  it('names a malformed bound beside a valid one, instead of failing on it (the fuzz: 500)', () => {
    expect(problems({ minAmount: '1e400', maxAmount: '10.00' })).toEqual({ minAmount: expect.any(String) });
    expect(problems({ minAmount: '5', maxAmount: '99999999999999999999999' })).toEqual({ maxAmount: expect.any(String) });
    expect(problems({ minAmount: 'x', maxAmount: 'y' })).toEqual({ minAmount: expect.any(String), maxAmount: expect.any(String) });
  });

  it('takes offsets up to 1,000,000 and dates in years 1 to 9999 only', () => {
    expect(problems({ offset: '1000000' })).toEqual({});
    expect(problems({ offset: '1000001' })).toHaveProperty('offset');
    expect(problems({ offset: '99999999999999999999' })).toHaveProperty('offset');
    expect(problems({ from: '0000-01-01' })).toHaveProperty('from');
    expect(problems({ to: '+275760-09-13T00:00:00.000Z' })).toHaveProperty('to');
    expect(problems({ from: '9999-12-31T23:59:59Z' })).toEqual({});
  });

  it('accepts bounds that are equal', () => {
    expect(problems({ minAmount: '10', maxAmount: '10.00' })).toEqual({});
  });
});
