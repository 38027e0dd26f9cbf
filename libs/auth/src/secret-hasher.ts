import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Hashing for passwords, PINs and other secrets people choose.
 * OWASP's scrypt floor: N=2^17 (128 MiB), r=8, p=1. Parameters are stored with each hash. */
const N = 2 ** 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: 256 * n * r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Format: scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const cost = { n: Number(n), r: Number(r), p: Number(p) };
  // A corrupted or hostile stored value must not throw or set an unbounded cost.
  const sane =
    scheme === 'scrypt' &&
    Boolean(salt) &&
    Boolean(hash) &&
    Number.isInteger(Math.log2(cost.n)) &&
    cost.n >= 2 ** 14 &&
    cost.n <= 2 ** 20 &&
    cost.r >= 1 &&
    cost.r <= 32 &&
    cost.p >= 1 &&
    cost.p <= 16;
  if (!sane) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(secret, Buffer.from(salt, 'base64'), cost.n, cost.r, cost.p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | undefined;

/** A hash of a random secret, verified against when a login names no known user, so timing says nothing. */
export function decoyHash(): Promise<string> {
  decoy ??= hashSecret(randomBytes(16).toString('hex'));
  return decoy;
}
