import { newX25519KeyPair, openSealed, sealFor, x25519PrivateKey, x25519PublicKey, x25519PublicOf } from './sealed-box';

describe('sealed box (X25519 + HKDF + AES-256-GCM)', () => {
  const recipient = newX25519KeyPair();
  const privateKey = x25519PrivateKey(recipient.privateKey);
  const publicKey = x25519PublicKey(recipient.publicKey);

  it('derives the configured public key from the private one', () => {
    expect(x25519PublicOf(privateKey)).toBe(recipient.publicKey);
  });

  it('round trip: the recipient opens what was sealed for it, and the secret is not in the sealed text', () => {
    const sealed = sealFor(publicKey, 'token-abc', 'user-1:reset_password');
    expect(sealed).toMatch(/^x25519\.v1\.[\w-]{43}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain('token-abc');
    expect(openSealed(privateKey, sealed, 'user-1:reset_password')).toBe('token-abc');
  });

  it('two seals of one secret differ (ephemeral key and iv per message)', () => {
    expect(sealFor(publicKey, 'same', 'c')).not.toBe(sealFor(publicKey, 'same', 'c'));
  });

  it('refuses another context, another private key and any tampering', () => {
    const sealed = sealFor(publicKey, 'token-abc', 'user-1:reset_password');
    expect(() => openSealed(privateKey, sealed, 'user-2:reset_password')).toThrow();
    expect(() => openSealed(x25519PrivateKey(newX25519KeyPair().privateKey), sealed, 'user-1:reset_password')).toThrow();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[5], 'base64url');
    flipped[0] ^= 1;
    expect(() => openSealed(privateKey, [...parts.slice(0, 5), flipped.toString('base64url')].join('.'), 'user-1:reset_password')).toThrow();
    expect(() => openSealed(privateKey, 'v1.a.b.c', 'x')).toThrow('not a sealed value');
  });

  it('refuses a private key that is not 32 bytes', () => {
    expect(() => x25519PrivateKey(Buffer.alloc(16).toString('base64url'))).toThrow('32 bytes');
  });
});
