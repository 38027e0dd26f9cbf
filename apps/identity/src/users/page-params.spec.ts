import { DomainError } from '@tally/contracts';
import { pageParams } from './page-params';

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
