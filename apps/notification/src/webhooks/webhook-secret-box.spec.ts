import { newWebhookSecret, WebhookSecretBox } from './webhook-secret-box';

describe('webhook secret box', () => {
  it('seals a secret so only the same key opens it', () => {
    const secret = newWebhookSecret();
    const box = new WebhookSecretBox('a-key-of-at-least-thirty-two-characters!');
    const sealed = box.seal(secret);
    expect(sealed).not.toContain(secret);
    expect(box.seal(secret)).not.toBe(sealed);
    expect(box.open(sealed)).toBe(secret);
    expect(() => new WebhookSecretBox('another-key-of-at-least-thirty-two-chars').open(sealed)).toThrow();
    const [v, iv, tag, ct] = sealed.split('.');
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] ^= 1;
    const tampered = [v, iv, tag, flipped.toString('base64url')].join('.');
    expect(() => box.open(tampered)).toThrow();
  });

  it('makes distinct, long secrets', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
