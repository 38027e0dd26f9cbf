import { envelopeProblems, EventEnvelope, isUuid, uuidv7 } from './envelope';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function validEnvelope(): EventEnvelope {
  return {
    id: uuidv7(),
    type: 'transaction.posted',
    version: 1,
    source: 'ledger',
    subject: uuidv7(),
    occurredAt: '2025-11-22T00:00:00.000Z',
    data: { any: 'thing' },
  };
}

describe('uuidv7', () => {
  it('has the canonical 8-4-4-4-12 lowercase hex format', () => {
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('has version nibble 7 and variant bits 10xx', () => {
    for (let i = 0; i < 1000; i++) {
      const id = uuidv7();
      expect(id).toMatch(UUID_V7);
      const hex = id.replace(/-/g, '');
      expect(parseInt(hex[12], 16)).toBe(7);
      expect(parseInt(hex[16], 16) & 0b1100).toBe(0b1000);
    }
  });

  it('encodes the millisecond timestamp big-endian in the first 48 bits', () => {
    const now = Date.UTC(2025, 10, 22, 12, 34, 56, 789);
    const hex = uuidv7(now).replace(/-/g, '');
    expect(parseInt(hex.slice(0, 12), 16)).toBe(now);
  });

  it('encodes timestamp 0 and the largest 48-bit timestamp', () => {
    expect(uuidv7(0).slice(0, 13)).toBe('00000000-0000');
    expect(uuidv7(2 ** 48 - 1).slice(0, 13)).toBe('ffffffff-ffff');
  });

  it('is time-ordered: ids made at increasing timestamps sort in that order', () => {
    const start = Date.UTC(2025, 0, 1);
    const ids: string[] = [];
    for (let i = 0; i < 2000; i++) ids.push(uuidv7(start + i));
    expect([...ids].sort()).toEqual(ids);
  });

  it('is time-ordered across byte boundaries of the timestamp', () => {
    const cases = [0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff];
    for (const t of cases) {
      expect(uuidv7(t) < uuidv7(t + 1)).toBe(true);
    }
  });

  it('produces 10,000 unique ids, even within the same millisecond', () => {
    const now = Date.now();
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) ids.add(uuidv7(now));
    expect(ids.size).toBe(10_000);
  });

  it('produces 10,000 unique ids with the default clock', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) ids.add(uuidv7());
    expect(ids.size).toBe(10_000);
  });

  it('is accepted by isUuid', () => {
    expect(isUuid(uuidv7())).toBe(true);
  });
});

describe('isUuid', () => {
  it('accepts upper- and lower-case UUIDs', () => {
    expect(isUuid('0192e4a0-7b1c-7def-8abc-0123456789ab')).toBe(true);
    expect(isUuid('0192E4A0-7B1C-7DEF-8ABC-0123456789AB')).toBe(true);
  });

  it.each([
    ['not a string', 123],
    ['null', null],
    ['undefined', undefined],
    ['empty', ''],
    ['no dashes', '0192e4a07b1c7def8abc0123456789ab'],
    ['too short', '0192e4a0-7b1c-7def-8abc-0123456789a'],
    ['non-hex', '0192e4a0-7b1c-7def-8abc-0123456789ag'],
    ['braces', '{0192e4a0-7b1c-7def-8abc-0123456789ab}'],
    ['trailing newline', '0192e4a0-7b1c-7def-8abc-0123456789ab\n'],
  ])('rejects %s', (_label, value) => {
    expect(isUuid(value)).toBe(false);
  });
});

describe('envelopeProblems', () => {
  it('finds no problem in a valid envelope', () => {
    expect(envelopeProblems(validEnvelope())).toEqual([]);
  });

  it('accepts an optional traceparent', () => {
    expect(envelopeProblems({ ...validEnvelope(), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })).toEqual([]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'envelope'],
    ['a number', 42],
  ])('reports that %s is not an object', (_label, value) => {
    expect(envelopeProblems(value)).toEqual(['envelope is not an object']);
  });

  it('reports a non-UUID id', () => {
    expect(envelopeProblems({ ...validEnvelope(), id: 'evt-1' })).toEqual(['id must be a UUID']);
  });

  it('reports a missing id', () => {
    const { id: _id, ...rest } = validEnvelope();
    expect(envelopeProblems(rest)).toEqual(['id must be a UUID']);
  });

  it.each(['type', 'source', 'subject', 'occurredAt'] as const)('reports a missing or empty %s', (field) => {
    const missing: Record<string, unknown> = { ...validEnvelope() };
    delete missing[field];
    expect(envelopeProblems(missing)).toEqual([`${field} must be a string`]);
    expect(envelopeProblems({ ...validEnvelope(), [field]: '' })).toEqual([`${field} must be a string`]);
    expect(envelopeProblems({ ...validEnvelope(), [field]: 7 })).toEqual([`${field} must be a string`]);
  });

  it.each([
    ['0', 0],
    ['-1', -1],
    ['1.5', 1.5],
    ['"1" (string)', '1'],
    ['missing', undefined],
    ['NaN', Number.NaN],
  ])('reports version %s', (_label, version) => {
    expect(envelopeProblems({ ...validEnvelope(), version })).toEqual(['version must be a positive integer']);
  });

  it.each([
    ['null', null],
    ['missing', undefined],
    ['a string', '{"a":1}'],
    ['a number', 1],
  ])('reports data that is %s', (_label, data) => {
    expect(envelopeProblems({ ...validEnvelope(), data })).toEqual(['data must be an object']);
  });

  it('reports every problem at once', () => {
    const problems = envelopeProblems({ id: 'x', type: '', version: 0, data: null });
    expect(problems).toEqual([
      'id must be a UUID',
      'type must be a string',
      'source must be a string',
      'subject must be a string',
      'occurredAt must be a string',
      'version must be a positive integer',
      'data must be an object',
    ]);
  });
});
