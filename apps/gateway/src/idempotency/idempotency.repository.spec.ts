import { requestFingerprint } from './idempotency.repository';

describe('requestFingerprint', () => {
  const body = { fromWalletId: 'w-1', toWalletNumber: 'WA000000000001', amount: '5.00', pin: '1234' };

  it('is the same for the same request, whatever the key order', () => {
    const reordered = { pin: '1234', amount: '5.00', toWalletNumber: 'WA000000000001', fromWalletId: 'w-1' };
    expect(requestFingerprint('POST', '/v1/transfers', reordered)).toBe(requestFingerprint('POST', '/v1/transfers', body));
  });

  it('differs for another body, another path or another method', () => {
    const base = requestFingerprint('POST', '/v1/transfers', body);
    expect(requestFingerprint('POST', '/v1/transfers', { ...body, amount: '5.01' })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/transfers', { ...body, amount: 5 })).not.toBe(requestFingerprint('POST', '/v1/transfers', { ...body, amount: '5' }));
    expect(requestFingerprint('POST', '/v1/payments', body)).not.toBe(base);
    expect(requestFingerprint('PUT', '/v1/transfers', body)).not.toBe(base);
  });

  it('treats a missing body like an empty one only when both are missing', () => {
    expect(requestFingerprint('POST', '/v1/x', undefined)).toBe(requestFingerprint('POST', '/v1/x', null));
    expect(requestFingerprint('POST', '/v1/x', undefined)).not.toBe(requestFingerprint('POST', '/v1/x', {}));
  });
});
