import { hashSecret } from '@tally/auth';
import { HashingPool } from './hashing-pool';
import { OWASP_ARGON2_FLOOR, PasswordHasher } from './password-hasher';

// One scrypt hash (N=2^17, ~0.3 s) is made here, for the legacy format.
jest.setTimeout(30_000);

describe('PasswordHasher', () => {
  const pool = new HashingPool({ concurrency: 2, maxQueue: 10, maxWaitMs: 10_000 });
  const hasher = new PasswordHasher(pool, OWASP_ARGON2_FLOOR);

  it("hashes with argon2id at OWASP's floor (m = 19 MiB, t = 2, p = 1) in PHC format, salted", async () => {
    const a = await hasher.hash('correct horse 42');
    const b = await hasher.hash('correct horse 42');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(b).not.toBe(a);
    expect(a).not.toContain('correct horse');
  });

  it('verifies the right password, refuses a wrong one, and NFKC-normalises (a composed and a decomposed é match)', async () => {
    const stored = await hasher.hash('caf\u00e9 au lait 1');
    await expect(hasher.verify('cafe\u0301 au lait 1', stored)).resolves.toEqual({ matches: true, needsRehash: false });
    await expect(hasher.verify('cafe au lait 1', stored)).resolves.toEqual({ matches: false, needsRehash: false });
  });

  it('verifies a scrypt hash from before argon2 and asks for it to be replaced (the upgrade at the next login)', async () => {
    const legacy = await hashSecret('old password 1');
    expect(legacy).toMatch(/^scrypt\$131072\$8\$1\$/);
    await expect(hasher.verify('old password 1', legacy)).resolves.toEqual({ matches: true, needsRehash: true });
    await expect(hasher.verify('wrong password 1', legacy)).resolves.toEqual({ matches: false, needsRehash: true });
    const upgraded = await hasher.hash('old password 1');
    await expect(hasher.verify('old password 1', upgraded)).resolves.toEqual({ matches: true, needsRehash: false });
  });

  it('asks to rehash an argon2id hash below the configured cost', async () => {
    const cheap = await new PasswordHasher(pool, OWASP_ARGON2_FLOOR).hash('some password 1');
    const stronger = new PasswordHasher(pool, { memoryKib: OWASP_ARGON2_FLOOR.memoryKib * 2, timeCost: 3 });
    await expect(stronger.verify('some password 1', cheap)).resolves.toEqual({ matches: true, needsRehash: true });
  });

  it('never matches an unknown format (or a corrupt hash) and does not throw', async () => {
    await expect(hasher.verify('x', 'plaintext')).resolves.toEqual({ matches: false, needsRehash: false });
    await expect(hasher.verify('x', '$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB')).resolves.toEqual({ matches: false, needsRehash: false });
    await expect(hasher.verify('x', '$2b$12$abcdefghijklmnopqrstuuJ7V0c7zZ5s0S2h9E0q8l0a1b2c3d4e')).resolves.toEqual({ matches: false, needsRehash: false });
  });

  it('the decoy check does the same argon2 work through the pool and never matches', async () => {
    const counting = new PasswordHasher(new HashingPool({ concurrency: 1, maxQueue: 10, maxWaitMs: 10_000 }), OWASP_ARGON2_FLOOR);
    await expect(counting.verifyDecoy('anything at all')).resolves.toBeUndefined();
  });
});
