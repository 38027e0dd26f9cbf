import { randomBytes, timingSafeEqual } from 'node:crypto';
import { tokenDigest } from '@tally/auth';

/**
 * Opaque bearer secrets identity hands out (refresh tokens, API keys, email tokens). They are 256
 * random bits, so a single SHA-256 is enough to store them: unlike a password there is nothing to
 * guess, and a fast hash keeps the per-request lookup cheap. Only the hash is ever stored.
 */
export function newOpaqueToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashToken(token: string): string {
  return tokenDigest(token);
}

/** Compares two hex digests in constant time (different lengths are simply unequal). */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

export interface ExpiringToken {
  expiresAt: Date | null;
  usedAt?: Date | null;
  revokedAt?: Date | null;
}

/** Whether a stored token may still be used at `now`: not used, not revoked, and not past its expiry (the instant of expiry counts as expired). */
export function tokenUsable(token: ExpiringToken, now: Date): boolean {
  if (token.usedAt || token.revokedAt) return false;
  return token.expiresAt === null || now.getTime() < token.expiresAt.getTime();
}

const API_KEY = /^tk_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

/** An API key as shown once: `tk_<12-char prefix>_<43-char secret>`; the prefix finds the row, the whole key's hash proves it. */
export function newApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(9).toString('base64url');
  return { key: `tk_${prefix}_${newOpaqueToken(32)}`, prefix };
}

export function apiKeyPrefix(key: string): string | undefined {
  return API_KEY.exec(key)?.[1];
}
