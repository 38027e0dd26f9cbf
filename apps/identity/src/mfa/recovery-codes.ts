import { randomBytes } from 'node:crypto';
import { hashToken } from '../tokens/opaque-token';

const COUNT = 10;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Ten one-time recovery codes, `XXXX-XXXX-XXXX-XXXX` from a 32-letter alphabet without look-alikes:
 * 80 random bits each, so (like identity's other opaque secrets) a SHA-256 is enough to store them.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: COUNT }, () => {
    const bytes = randomBytes(16);
    const chars = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function recoveryCodeHash(code: string): string {
  return hashToken(`recovery:${code.toUpperCase().replace(/[^A-Z0-9]/g, '')}`);
}
