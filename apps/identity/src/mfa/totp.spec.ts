import { generateSync } from 'otplib';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes';
import { newTotpSeed, totpUri, verifyTotp } from './totp';

const at = (seconds: number) => new Date(seconds * 1000);
const code = (seed: string, seconds: number) => generateSync({ secret: seed, epoch: seconds });

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B, SHA-1: the ASCII seed "12345678901234567890" at T = 59 s gives 94287082 (8 digits), 287082 in 6.
  const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('matches the RFC test vector', () => {
    expect(verifyTotp(RFC_SEED, '287082', null, at(59))).toBe(1);
  });

  it('accepts the step before and after now, not two away', () => {
    const seed = newTotpSeed();
    const now = 1_800_000_015;
    expect(verifyTotp(seed, code(seed, now - 30), null, at(now))).toBeDefined();
    expect(verifyTotp(seed, code(seed, now + 30), null, at(now))).toBeDefined();
    expect(verifyTotp(seed, code(seed, now - 90), null, at(now))).toBeUndefined();
  });

  it('refuses a code whose step was already used (one code, one sign-in), and anything not 6 digits', () => {
    const seed = newTotpSeed();
    const now = 1_800_000_015;
    const step = verifyTotp(seed, code(seed, now), null, at(now));
    expect(step).toBe(Math.floor(now / 30));
    expect(verifyTotp(seed, code(seed, now), step!, at(now))).toBeUndefined();
    expect(verifyTotp(seed, code(seed, now + 30), step!, at(now))).toBe(step! + 1);
    expect(verifyTotp(seed, '12345', null, at(now))).toBeUndefined();
    expect(verifyTotp(seed, 'abcdef', null, at(now))).toBeUndefined();
  });

  it('makes 160-bit base32 seeds and an otpauth URI an authenticator app reads', () => {
    const seed = newTotpSeed();
    expect(seed).toMatch(/^[A-Z2-7]{32}$/);
    expect(totpUri(seed, 'Tally', 'ann@example.com')).toBe(`otpauth://totp/Tally:ann%40example.com?secret=${seed}&issuer=Tally`);
  });
});

describe('recovery codes', () => {
  it('are ten distinct XXXX-XXXX-XXXX-XXXX codes without look-alike letters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
  });

  it('hash the same however they are typed back (case, spaces, dashes), and differently from each other', () => {
    const [a, b] = newRecoveryCodes();
    expect(recoveryCodeHash(a.toLowerCase().replaceAll('-', ' '))).toBe(recoveryCodeHash(a));
    expect(recoveryCodeHash(a)).not.toBe(recoveryCodeHash(b));
    expect(recoveryCodeHash(a)).not.toContain(a);
  });
});
