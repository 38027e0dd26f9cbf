import { createHmac } from 'node:crypto';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'whsec_test-secret';
  const body = '{"id":"1","type":"transaction.completed"}';

  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> keyed by the secret', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhookBody(secret, body, 1700000000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies with the same secret, body and a fresh timestamp', () => {
    const header = signWebhookBody(secret, body, 1700000000);
    expect(verifyWebhookSignature(secret, body, header, 1700000100)).toBe(true);
  });

  it('refuses another secret, a changed body, a changed timestamp, an old one and garbage', () => {
    const header = signWebhookBody(secret, body, 1700000000);
    expect(verifyWebhookSignature('whsec_other', body, header, 1700000000)).toBe(false);
    expect(verifyWebhookSignature(secret, `${body} `, header, 1700000000)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header.replace('t=1700000000', 't=1700000001'), 1700000000)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, 1700000000 + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, 'v1=abc', 1700000000)).toBe(false);
    expect(verifyWebhookSignature(secret, body, '', 1700000000)).toBe(false);
  });
});
