import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Wallet PINs, checked with a keyed hash. A 4 to 6 digit PIN has at most a million values, so a
 * slow hash would not protect a stolen table (a million guesses is minutes of work); a secret key
 * held outside the database does (as the card industry verifies PINs with keyed functions). Stored
 * form: `hmac-sha256$<keyId>$<salt b64>$<HMAC-SHA-256(pepper, salt ‖ pin) b64>`. Several keys may be
 * configured: the first hashes new PINs, the others still verify, and a PIN verified under an older
 * key (or an old scrypt hash) is stored again under the current one. Microseconds per check.
 */
export const PIN = /^\d{4,6}$/;
const SCHEME = 'hmac-sha256';

export interface PinPepper {
  id: string;
  secret: Buffer;
}

export interface PinKeys {
  /** Hashes new PINs. */
  current: PinPepper;
  /** Every key that may verify (the current one included), by id. */
  byId: ReadonlyMap<string, PinPepper>;
}

export type PinVerdict =
  /** `rehash`: right, but stored under an older key: store it again under the current one. */
  | { kind: 'match'; rehash: boolean }
  | { kind: 'mismatch' }
  /** An old scrypt hash: verified by the slow KDF outside the batch, then stored again. */
  | { kind: 'legacy' }
  /** Stored under a key no longer configured: nobody can verify it until the PIN is reset. */
  | { kind: 'unknown_key' };

export function pinKeys(peppers: PinPepper[]): PinKeys {
  if (peppers.length === 0) throw new Error('at least one PIN pepper is needed');
  return { current: peppers[0], byId: new Map(peppers.map((p) => [p.id, p])) };
}

export function hashPin(pin: string, keys: PinKeys, salt: Buffer = randomBytes(16)): string {
  return [SCHEME, keys.current.id, salt.toString('base64'), mac(keys.current, salt, pin).toString('base64')].join('$');
}

export function checkPin(pin: string, stored: string, keys: PinKeys): PinVerdict {
  if (stored.startsWith('scrypt$')) return { kind: 'legacy' };
  const [scheme, keyId, salt, expected] = stored.split('$');
  if (scheme !== SCHEME || !salt || !expected) return { kind: 'unknown_key' };
  const key = keys.byId.get(keyId);
  if (!key) return { kind: 'unknown_key' };
  const actual = mac(key, Buffer.from(salt, 'base64'), pin);
  const want = Buffer.from(expected, 'base64');
  if (actual.length !== want.length || !timingSafeEqual(actual, want)) return { kind: 'mismatch' };
  return { kind: 'match', rehash: key.id !== keys.current.id };
}

function mac(key: PinPepper, salt: Buffer, pin: string): Buffer {
  return createHmac('sha256', key.secret).update(salt).update(pin, 'utf8').digest();
}

/**
 * Why a PIN is too easy to guess, or undefined: not 4 to 6 digits, one digit repeated (1111), or a
 * straight run up or down (1234, 4321, 0123, 987654).
 */
export function pinWeakness(pin: unknown): string | undefined {
  if (typeof pin !== 'string' || !PIN.test(pin)) return 'must be 4 to 6 digits';
  const digits = [...pin].map(Number);
  if (digits.every((d) => d === digits[0])) return 'must not repeat one digit';
  const steps = digits.slice(1).map((d, i) => d - digits[i]);
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'must not be a straight run of digits such as 1234';
  return undefined;
}

/**
 * Parses PIN_PEPPERS: `id:secret` pairs separated by commas, the first hashing new PINs; each
 * secret is base64 of at least 32 bytes. Throws naming the first problem.
 */
export function parsePinPeppers(text: string): PinPepper[] {
  const peppers: PinPepper[] = [];
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.indexOf(':');
    const id = item.slice(0, at);
    const secret = Buffer.from(item.slice(at + 1), 'base64');
    if (at < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`"${id || item.slice(0, 8)}" is not a key id (letters, digits, _ or -)`);
    if (secret.length < 32) throw new Error(`the secret of key "${id}" must be base64 of at least 32 bytes`);
    if (peppers.some((p) => p.id === id)) throw new Error(`key "${id}" is named twice`);
    peppers.push({ id, secret });
  }
  if (peppers.length === 0) throw new Error('no key given');
  return peppers;
}
