import { DomainError } from '@tally/contracts';
import { checkPin, hashPin, parsePinPeppers, pinKeys, pinWeakness } from './pin-codec';
import { currentLock, judgePin, LegacyPinCheckNeeded, PinPolicy } from './pin-check';

const secret = (n: number) => Buffer.alloc(32, n).toString('base64');
const k1 = parsePinPeppers(`k1:${secret(1)}`);
const k2k1 = parsePinPeppers(`k2:${secret(2)},k1:${secret(1)}`);
const k2 = parsePinPeppers(`k2:${secret(2)}`);

describe('PIN hashes: HMAC-SHA-256 under a configured key', () => {
  it('verifies the right PIN and refuses another, with a salt per hash', () => {
    const keys = pinKeys(k1);
    const a = hashPin('2580', keys);
    const b = hashPin('2580', keys);
    expect(a).toMatch(/^hmac-sha256\$k1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(checkPin('2580', a, keys)).toEqual({ kind: 'match', rehash: false });
    expect(checkPin('2581', a, keys)).toEqual({ kind: 'mismatch' });
  });

  it('rotates: an older key still verifies and asks for a rehash; a retired key cannot verify', () => {
    const old = hashPin('2580', pinKeys(k1));
    expect(checkPin('2580', old, pinKeys(k2k1))).toEqual({ kind: 'match', rehash: true });
    expect(checkPin('2580', hashPin('2580', pinKeys(k2k1)), pinKeys(k2k1))).toEqual({ kind: 'match', rehash: false });
    expect(checkPin('2580', old, pinKeys(k2))).toEqual({ kind: 'unknown_key' });
  });

  it('sends an old scrypt hash to the slow check', () => {
    expect(checkPin('2580', 'scrypt$131072$8$1$c2FsdA==$aGFzaA==', pinKeys(k1))).toEqual({ kind: 'legacy' });
  });

  it('parses PIN_PEPPERS and names what is wrong', () => {
    expect(parsePinPeppers(`a:${secret(3)}, b:${secret(4)}`).map((p) => p.id)).toEqual(['a', 'b']);
    expect(() => parsePinPeppers(`a:${Buffer.alloc(16).toString('base64')}`)).toThrow(/at least 32 bytes/);
    expect(() => parsePinPeppers(`a:${secret(1)},a:${secret(2)}`)).toThrow(/named twice/);
    expect(() => parsePinPeppers(secret(1))).toThrow(/not a key id/);
    expect(() => parsePinPeppers('')).toThrow(/no key/);
  });

  it('refuses PINs that are one digit repeated or a straight run, and keeps others', () => {
    for (const weak of ['1111', '000000', '1234', '4321', '0123', '987654', '56789']) expect(pinWeakness(weak)).toBeDefined();
    for (const fine of ['2580', '1357', '8642', '1212', '9182', '120934']) expect(pinWeakness(fine)).toBeUndefined();
    expect(pinWeakness('12a4')).toBe('must be 4 to 6 digits');
    expect(pinWeakness(1234)).toBe('must be 4 to 6 digits');
  });
});

describe('PIN locks (judgePin, with an injected clock)', () => {
  const policy: PinPolicy = { keys: pinKeys(k1), maxAttempts: 5, lockMs: 30 * 60_000 };
  const at = (iso: string) => new Date(iso);
  const wallet = (failed: number, lockedUntil: string | null = null, updatedAt = '2026-12-02T09:00:00Z') => ({
    id: 'w',
    pin_hash: hashPin('2580', policy.keys),
    failed_pin_attempts: failed,
    pin_locked_until: lockedUntil,
    updated_at: new Date(updatedAt),
  });
  const code = (judgement: { refusal?: DomainError }) => judgement.refusal?.code;

  it('counts misses and locks on the fifth for 30 minutes', () => {
    const fourth = judgePin(wallet(3), '0000', policy, at('2026-12-02T10:00:00Z'));
    expect([code(fourth), fourth.refusal?.details, fourth.update?.failedAttempts]).toEqual(['INVALID_PIN', { attemptsLeft: 1 }, 4]);
    const fifth = judgePin(wallet(4), '0000', policy, at('2026-12-02T10:00:00Z'));
    expect(code(fifth)).toBe('PIN_LOCKED');
    expect(fifth.update).toEqual({ id: 'w', failedAttempts: 5, lockedUntil: '2026-12-02T10:30:00.000Z' });
  });

  it('refuses even the right PIN while locked, and starts again once the lock has ended', () => {
    const locked = wallet(5, '2026-12-02T10:30:00.000Z');
    expect(code(judgePin(locked, '2580', policy, at('2026-12-02T10:29:59Z')))).toBe('PIN_LOCKED');
    expect(judgePin(locked, '2580', policy, at('2026-12-02T10:30:00Z'))).toEqual({ update: { id: 'w', failedAttempts: 0, lockedUntil: null } });
    // A miss after the lock ended is the first of a new count.
    expect(judgePin(locked, '0000', policy, at('2026-12-02T10:31:00Z')).update?.failedAttempts).toBe(1);
  });

  it('ends a lock from before locks ended (no end stored) 30 minutes after the last miss', () => {
    expect(currentLock(wallet(5, null, '2026-12-02T09:00:00Z'), policy)).toEqual(at('2026-12-02T09:30:00Z'));
    expect(code(judgePin(wallet(5, null, '2026-12-02T09:00:00Z'), '2580', policy, at('2026-12-02T09:10:00Z')))).toBe('PIN_LOCKED');
    expect(code(judgePin(wallet(5, null, '2026-12-02T09:00:00Z'), '2580', policy, at('2026-12-02T09:31:00Z')))).toBeUndefined();
  });

  it('stores a right PIN again under the current key, and asks for the slow check of an old scrypt hash', () => {
    const rotated: PinPolicy = { ...policy, keys: pinKeys(k2k1) };
    const judgement = judgePin(wallet(0), '2580', rotated, at('2026-12-02T10:00:00Z'));
    expect(judgement.update?.pinHash).toMatch(/^hmac-sha256\$k2\$/);
    const legacy = { ...wallet(0), pin_hash: 'scrypt$131072$8$1$c2FsdA==$aGFzaA==' };
    expect(() => judgePin(legacy, '2580', policy, at('2026-12-02T10:00:00Z'))).toThrow(LegacyPinCheckNeeded);
    const upgraded = judgePin(legacy, '2580', policy, at('2026-12-02T10:00:00Z'), { storedHash: legacy.pin_hash, matches: true });
    expect(upgraded.update?.pinHash).toMatch(/^hmac-sha256\$k1\$/);
    expect(code(judgePin(legacy, '2580', policy, at('2026-12-02T10:00:00Z'), { storedHash: legacy.pin_hash, matches: false }))).toBe('INVALID_PIN');
  });
});
