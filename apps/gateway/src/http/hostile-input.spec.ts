import { inspect, MAX_JSON_DEPTH } from './hostile-input';

describe('inspect (the body and query check after JSON parsing)', () => {
  const nested = (levels: number): unknown => JSON.parse('{"a":'.repeat(levels) + '1' + '}'.repeat(levels));

  it('allows 64 levels and refuses 65, without recursion even at 100,000 levels', () => {
    expect(inspect(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBeUndefined();
    expect(inspect(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)?.details).toEqual({ maxDepth: 64 });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inspect(deep, MAX_JSON_DEPTH)?.message).toBe('The body is nested deeper than 64 levels');
  });

  it('finds a NUL character in a value or a key at any depth and names the field without the NUL', () => {
    expect(inspect({ email: 'a\u0000@example.com' }, 64)?.details).toMatchObject({ field: 'email' });
    expect(inspect({ items: [{ note: 'x\u0000' }] }, 64)?.details).toMatchObject({ field: 'items.0.note' });
    const key = inspect({ ['bad\u0000key']: 1 }, 64);
    expect(key?.details.field).toBe('bad\\u0000key');
    expect(key?.message).not.toContain('\u0000');
    expect(inspect({ fine: 'text', n: 5, list: ['a', null, true] }, 64)).toBeUndefined();
    expect(inspect(undefined, 64)).toBeUndefined();
  });

  it('finds a lone surrogate in a value or a key (Postgres jsonb refuses its escape: it was a 500), and lets pairs through', () => {
    expect(inspect({ description: '\ud800' }, 64)?.details).toMatchObject({ field: 'description' });
    expect(inspect({ reason: 'a\udc00b' }, 64)?.details).toMatchObject({ field: 'reason' });
    expect(inspect({ list: ['ok', 'x\udbff'] }, 64)?.details).toMatchObject({ field: 'list.1' });
    const key = inspect({ ['k\ud800']: 1 }, 64);
    expect(key?.details.field).toBe('k\\ud800');
    expect(JSON.stringify(key)).not.toMatch(/[\ud800-\udfff]/);
    expect(inspect({ emoji: '😀 \udbff\udfff 𝕋' }, 64)).toBeUndefined();
  });
});
