import { hashSecret, verifySecret } from './secret-hasher';

// Each scrypt hash at N=2^17 takes ~0.3 s: this file computes 3 hashes and 4 verifying derivations in all.
jest.setTimeout(30_000);

describe('hashSecret / verifySecret', () => {
  const secret = 'correct horse battery staple';
  let first: string;
  let second: string;

  beforeAll(async () => {
    first = await hashSecret(secret);
    second = await hashSecret(secret);
  }, 30_000);

  it('stores the scheme and parameters N=131072, r=8, p=1 with the hash', () => {
    const parts = first.split('$');
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5], 'base64')).toHaveLength(32);
    expect(first).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  });

  it('two hashes of the same secret differ (random salt)', () => {
    expect(second).not.toBe(first);
    expect(second.split('$')[4]).not.toBe(first.split('$')[4]);
  });

  it('round trip: the secret verifies against both of its hashes', async () => {
    await expect(verifySecret(secret, first)).resolves.toBe(true);
    await expect(verifySecret(secret, second)).resolves.toBe(true);
  });

  it('a wrong secret does not verify', async () => {
    await expect(verifySecret('correct horse battery stapler', first)).resolves.toBe(false);
  });

  it('a stored string with a different scheme returns false', async () => {
    const bcryptLike = first.replace(/^scrypt\$/, 'bcrypt$');
    await expect(verifySecret(secret, bcryptLike)).resolves.toBe(false);
    await expect(verifySecret(secret, '$2b$12$abcdefghijklmnopqrstuuJ7V0c7zZ5s0S2h9E0q8l0a1b2c3d4e')).resolves.toBe(false);
  });

  it('a stored hash with corrupt or unbounded cost parameters returns false instead of throwing', async () => {
    await expect(verifySecret('x', 'scrypt$abc$8$1$c2FsdA==$aGFzaA==')).resolves.toBe(false);
    await expect(verifySecret('x', 'scrypt$1000$8$1$c2FsdA==$aGFzaA==')).resolves.toBe(false);
    await expect(verifySecret('x', `scrypt$${2 ** 30}$8$1$c2FsdA==$aGFzaA==`)).resolves.toBe(false);
  });

  it('a stored string without salt or hash returns false', async () => {
    await expect(verifySecret(secret, '')).resolves.toBe(false);
    await expect(verifySecret(secret, 'scrypt$131072$8$1$$')).resolves.toBe(false);
    await expect(verifySecret(secret, 'plaintext')).resolves.toBe(false);
  });

  it('normalizes to NFKC: a composed and a decomposed é verify the same', async () => {
    const stored = await hashSecret('caf\u00e9');
    await expect(verifySecret('cafe\u0301', stored)).resolves.toBe(true);
  });
});
