import { DomainError } from '@tally/contracts';
import { pageParams, sortParams } from './page-params';

describe('pageParams', () => {
  it('defaults to 50 from 0', () => {
    expect(pageParams({})).toEqual({ limit: 50, offset: 0 });
  });

  it('reads strings from a query', () => {
    expect(pageParams({ limit: '100', offset: '20' })).toEqual({ limit: 100, offset: 20 });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ offset: '-1' }, 'offset'],
    [{ offset: '1e3' }, 'offset'],
  ])('%j is a validation error naming %s', (query, field) => {
    try {
      pageParams(query);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).details).toHaveProperty(field);
    }
  });
});

describe('sortParams', () => {
  const columns = { lastUsedAt: 'last_used_at', createdAt: 'created_at' };

  it('defaults to the first field, descending', () => {
    expect(sortParams({}, columns)).toEqual({ column: 'last_used_at', direction: 'DESC' });
  });

  it('maps a whitelisted field to its column', () => {
    expect(sortParams({ sortBy: 'createdAt', sortOrder: 'asc' }, columns)).toEqual({ column: 'created_at', direction: 'ASC' });
  });

  it.each([
    [{ sortBy: 'user_id' }, 'sortBy'],
    [{ sortBy: 'constructor' }, 'sortBy'],
    [{ sortBy: 'created_at; DROP TABLE x' }, 'sortBy'],
    [{ sortOrder: 'up' }, 'sortOrder'],
  ])('%j is a validation error naming %s', (query, field) => {
    expect(() => sortParams(query, columns)).toThrow(DomainError);
    try {
      sortParams(query, columns);
    } catch (err) {
      expect((err as DomainError).details).toHaveProperty(field);
    }
  });
});
