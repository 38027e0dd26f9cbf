import { apiKeyPrefix, hashToken, newApiKey, newOpaqueToken, sameDigest, tokenUsable } from './opaque-token';

describe('opaque tokens', () => {
  it('are 256 random bits in base64url, never the same twice', () => {
    const a = newOpaqueToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newOpaqueToken()).not.toBe(a);
  });

  it('hash to a SHA-256 hex digest that does not contain the token', () => {
    const token = newOpaqueToken();
    const digest = hashToken(token);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).toBe(hashToken(token));
    expect(digest).not.toContain(token);
    expect(hashToken(`${token}x`)).not.toBe(digest);
  });

  it('compares digests exactly, refusing different or empty ones', () => {
    const digest = hashToken('a');
    expect(sameDigest(digest, hashToken('a'))).toBe(true);
    expect(sameDigest(digest, hashToken('b'))).toBe(false);
    expect(sameDigest(digest, digest.slice(0, 62))).toBe(false);
    expect(sameDigest('', '')).toBe(false);
  });
});

describe('tokenUsable', () => {
  const now = new Date('2026-01-01T12:00:00.000Z');
  const later = new Date('2026-01-01T12:30:00.000Z');

  it('accepts an unused token before its expiry', () => {
    expect(tokenUsable({ expiresAt: later }, now)).toBe(true);
  });

  it('refuses at and after the expiry instant', () => {
    expect(tokenUsable({ expiresAt: now }, now)).toBe(false);
    expect(tokenUsable({ expiresAt: now }, later)).toBe(false);
  });

  it('refuses a used or revoked token even before it expires', () => {
    expect(tokenUsable({ expiresAt: later, usedAt: now }, now)).toBe(false);
    expect(tokenUsable({ expiresAt: later, revokedAt: now }, now)).toBe(false);
  });

  it('a token without an expiry (an API key made without one) stays usable until revoked', () => {
    expect(tokenUsable({ expiresAt: null }, later)).toBe(true);
    expect(tokenUsable({ expiresAt: null, revokedAt: now }, later)).toBe(false);
  });
});

describe('API keys', () => {
  it('carry their lookup prefix, which is not part of the secret', () => {
    const { key, prefix } = newApiKey();
    expect(key).toMatch(/^tk_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyPrefix(key)).toBe(prefix);
  });

  it.each(['', 'tk_', 'tk_short_secret', `Bearer ${'x'.repeat(60)}`, `tk_${'a'.repeat(12)}_${'b'.repeat(42)}`, `tk_${'a'.repeat(12)}_${'b'.repeat(43)} `])(
    'a malformed key %j has no prefix',
    (key) => {
      expect(apiKeyPrefix(key)).toBeUndefined();
    },
  );
});
