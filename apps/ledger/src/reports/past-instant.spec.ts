import { DomainError } from '@tally/contracts';
import { parsePastInstant } from './past-instant';

const NOW = new Date('2025-06-15T12:00:00.000Z');

function problem(value: unknown): DomainError {
  try {
    parsePastInstant('asOf', value, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('parsePastInstant', () => {
  it.each([
    ['2025-06-15T12:00:00Z', '2025-06-15T12:00:00.000Z'],
    ['2025-06-15T11:59:59.999999Z', '2025-06-15T11:59:59.999Z'],
    ['2025-06-15T14:00+02:00', '2025-06-15T12:00:00.000Z'],
    ['2024-02-29T00:00:00-05:00', '2024-02-29T05:00:00.000Z'],
  ])('accepts %s', (text, iso) => {
    const parsed = parsePastInstant('asOf', text, NOW);
    expect(parsed.at.toISOString()).toBe(iso);
    expect(parsed.text).toBe(text);
  });

  it.each([
    '2025-06-15',
    '2025-06-15T10:00:00',
    '2025-06-15 10:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-06-15T24:00:00Z',
    '2025-06-15T10:60:00Z',
    '2025-06-15T10:00:00.1234567Z',
    '2025-06-15T10:00:00+24:00',
    'yesterday',
    '',
    42,
    null,
    undefined,
  ])('refuses %p as VALIDATION_FAILED naming the field', (value) => {
    const err = problem(value);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toMatch(/^asOf must be an ISO 8601 time with a zone/);
  });

  it('refuses an instant after now, even by a millisecond', () => {
    expect(problem('2025-06-15T12:00:00.001Z').message).toBe('asOf cannot be in the future');
    expect(parsePastInstant('asOf', '2025-06-15T12:00:00.000Z', NOW).at).toEqual(NOW);
  });
});
