import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of an opaque bearer token: what identity stores and looks tokens up by. The gateway
 * sends this digest instead of an emailed token, so the token itself never rides a topic; 256-bit
 * random tokens need no slow hash (nothing to guess).
 */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export const TOKEN_DIGEST = /^[0-9a-f]{64}$/;
