import { generateSecret, generateURI, verifySync } from 'otplib';

/** RFC 6238 as authenticator apps use it: SHA-1, 6 digits, 30 s steps. */
const PERIOD_SECONDS = 30;
/** One step either side of now: a phone clock a little off, or a code typed as it rolled over. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;

export function newTotpSeed(): string {
  // 20 bytes = 160 bits, RFC 4226's recommended seed length.
  return generateSecret({ length: 20 });
}

export function totpUri(seed: string, issuer: string, account: string): string {
  return generateURI({ issuer, label: account, secret: seed, period: PERIOD_SECONDS, digits: 6, algorithm: 'sha1' });
}

/**
 * The time step a code is valid for, or undefined. A step at or before `lastUsedStep` is refused,
 * so a code (even one seen over a shoulder) signs in once (RFC 6238 §5.2).
 */
export function verifyTotp(seed: string, code: string, lastUsedStep: number | null, now = new Date()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = verifySync({
    secret: seed,
    token: code,
    period: PERIOD_SECONDS,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(lastUsedStep !== null ? { afterTimeStep: lastUsedStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
