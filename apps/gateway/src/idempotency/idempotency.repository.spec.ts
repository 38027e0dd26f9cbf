import { createHash } from 'node:crypto';
import { requestFingerprint, SECRET_BODY_FIELDS } from './idempotency.repository';

describe('requestFingerprint', () => {
  const KEY = 'a-test-only-idempotency-hmac-key-0123456789';
  const fp = (method: string, path: string, body: unknown, key = KEY) => requestFingerprint(key, method, path, body);
  const body = { fromWalletId: 'w-1', toWalletNumber: 'WA000000000001', amount: '5.00', pin: '2580' };

  it('is the same for the same request, whatever the key order', () => {
    const reordered = { pin: '2580', amount: '5.00', toWalletNumber: 'WA000000000001', fromWalletId: 'w-1' };
    expect(fp('POST', '/v1/transfers', reordered)).toBe(fp('POST', '/v1/transfers', body));
  });

  it('differs for another body, another path or another method', () => {
    const base = fp('POST', '/v1/transfers', body);
    expect(fp('POST', '/v1/transfers', { ...body, amount: '5.01' })).not.toBe(base);
    expect(fp('POST', '/v1/transfers', { ...body, amount: 5 })).not.toBe(fp('POST', '/v1/transfers', { ...body, amount: '5' }));
    expect(fp('POST', '/v1/payments', body)).not.toBe(base);
    expect(fp('PUT', '/v1/transfers', body)).not.toBe(base);
  });

  it('treats a missing body like an empty one only when both are missing', () => {
    expect(fp('POST', '/v1/x', undefined)).toBe(fp('POST', '/v1/x', null));
    expect(fp('POST', '/v1/x', undefined)).not.toBe(fp('POST', '/v1/x', {}));
  });

  it('is keyed: another server key gives another fingerprint, and no unkeyed hash of the body matches', () => {
    expect(fp('POST', '/v1/transfers', body, 'another-test-only-hmac-key-0123456789ab')).not.toBe(fp('POST', '/v1/transfers', body));
    const unkeyed = createHash('sha256').update('POST /v1/transfers\n').update(JSON.stringify(body)).digest('hex');
    expect(fp('POST', '/v1/transfers', body)).not.toBe(unkeyed);
  });

  it('leaves every secret field out, at any depth: the fingerprint does not depend on a PIN or password', () => {
    expect(fp('POST', '/v1/transfers', { ...body, pin: '9999' })).toBe(fp('POST', '/v1/transfers', body));
    const secrets = Object.fromEntries([...SECRET_BODY_FIELDS].map((k) => [k, 'secret-1']));
    const otherSecrets = Object.fromEntries([...SECRET_BODY_FIELDS].map((k) => [k, 'secret-2']));
    expect(fp('POST', '/v1/x', { a: 1, ...secrets })).toBe(fp('POST', '/v1/x', { a: 1, ...otherSecrets }));
    expect(fp('POST', '/v1/x', { a: 1, ...secrets })).toBe(fp('POST', '/v1/x', { a: 1 }));
    expect(fp('POST', '/v1/x', { nested: [{ password: 'x', n: 1 }] })).toBe(fp('POST', '/v1/x', { nested: [{ password: 'y', n: 1 }] }));
    expect([...SECRET_BODY_FIELDS]).toEqual(expect.arrayContaining(['pin', 'newPin', 'password', 'currentPassword', 'newPassword', 'code']));
  });
});
