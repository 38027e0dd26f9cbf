import fc from 'fast-check';
import { requestHash } from './idempotency.repository';

describe('requestHash', () => {
  const payload = { fromWalletId: '0192e4a0-7b1c-7def-8abc-0123456789ab', toWalletNumber: '1000000001', amount: '100.50', description: 'rent' };

  it('is a sha256 hex digest', () => {
    expect(requestHash('transfer.create', payload)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic', () => {
    expect(requestHash('transfer.create', payload)).toBe(requestHash('transfer.create', { ...payload }));
  });

  it('is independent of key order', () => {
    const reordered = { description: 'rent', amount: '100.50', toWalletNumber: '1000000001', fromWalletId: payload.fromWalletId };
    expect(requestHash('transfer.create', reordered)).toBe(requestHash('transfer.create', payload));
  });

  it('is independent of key order in nested objects', () => {
    const a = { meta: { b: 1, a: { y: 2, x: 1 } }, list: [{ q: 1, p: 2 }] };
    const b = { list: [{ p: 2, q: 1 }], meta: { a: { x: 1, y: 2 }, b: 1 } };
    expect(requestHash('deposit.create', a)).toBe(requestHash('deposit.create', b));
  });

  it('differs when a value changes', () => {
    expect(requestHash('transfer.create', { ...payload, amount: '100.51' })).not.toBe(requestHash('transfer.create', payload));
  });

  it('differs when a value changes type ("1" vs 1)', () => {
    expect(requestHash('x', { a: '1' })).not.toBe(requestHash('x', { a: 1 }));
  });

  it('differs when a key is added or removed', () => {
    const { description: _d, ...withoutDescription } = payload;
    expect(requestHash('transfer.create', withoutDescription)).not.toBe(requestHash('transfer.create', payload));
  });

  it('differs when a value moves to another key', () => {
    expect(requestHash('x', { a: '1', b: '2' })).not.toBe(requestHash('x', { a: '2', b: '1' }));
  });

  it('differs when array order changes (arrays are ordered)', () => {
    expect(requestHash('x', { tags: ['a', 'b'] })).not.toBe(requestHash('x', { tags: ['b', 'a'] }));
  });

  it('differs for the same payload under another command', () => {
    expect(requestHash('deposit.create', payload)).not.toBe(requestHash('transfer.create', payload));
  });

  it('property: any permutation of keys gives the same hash', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse());
        expect(requestHash('cmd', reversed)).toBe(requestHash('cmd', dict));
      }),
    );
  });

  it('property: changing one string value changes the hash', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.string(), fc.string(), fc.string(), (dict, key, v1, v2) => {
        fc.pre(v1 !== v2);
        expect(requestHash('cmd', { ...dict, [key]: v1 })).not.toBe(requestHash('cmd', { ...dict, [key]: v2 }));
      }),
    );
  });
});
