import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  KeyObject,
  randomBytes,
} from 'node:crypto';

/**
 * Public-key sealing (ECIES over X25519, node:crypto only): anyone holding the recipient's public
 * key can seal a secret that only the holder of the private key can open. Identity seals the
 * tokens of email links to notification's public key, so the token crosses Kafka and rests in
 * outboxes and DLQs as ciphertext that neither identity nor a reader of the topic can open.
 *
 * Per message: an ephemeral X25519 key pair; the shared secret goes through HKDF-SHA-256 (salt:
 * both public keys) into an AES-256-GCM key; `context` is bound as associated data (e.g. the user
 * and purpose), so a sealed value moved into another message fails to open.
 * Wire format: `x25519.v1.<ephemeral public>.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
const PREFIX = 'x25519.v1';
const INFO = Buffer.from('tally sealed box v1', 'utf8');
const PKCS8_X25519_HEADER = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** Keys travel in configuration as base64url of the raw 32 bytes. */
export function x25519PublicKey(raw: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw }, format: 'jwk' });
}

export function x25519PrivateKey(raw: string): KeyObject {
  const d = Buffer.from(raw, 'base64url');
  if (d.length !== 32) throw new Error('an X25519 private key is 32 bytes');
  // The raw key wrapped in its fixed PKCS#8 header (RFC 8410), so the public half is derived, not configured.
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519_HEADER, d]), format: 'der', type: 'pkcs8' });
}

/** The raw public key (base64url) of a private one. */
export function x25519PublicOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ format: 'jwk' }).x as string;
}

/** A fresh key pair, raw base64url, for configuration (`node -e` in docs/notifications.md). */
export function newX25519KeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: publicKey.export({ format: 'jwk' }).x as string, privateKey: privateKey.export({ format: 'jwk' }).d as string };
}

export function sealFor(recipient: KeyObject, secret: string, context: string): string {
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = rawPublic(ephemeral.publicKey);
  const key = derive(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }), ephemeralRaw, rawPublic(recipient));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [
    PREFIX,
    ephemeralRaw.toString('base64url'),
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    ciphertext.toString('base64url'),
  ].join('.');
}

/** Opens a sealed value; throws on a wrong key, a wrong context or any tampering. */
export function openSealed(privateKey: KeyObject, sealed: string, context: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 6 || `${parts[0]}.${parts[1]}` !== PREFIX) throw new Error('not a sealed value');
  const [, , ephemeralB64, ivB64, tagB64, ciphertextB64] = parts;
  const ephemeralRaw = Buffer.from(ephemeralB64, 'base64url');
  const ephemeral = x25519PublicKey(ephemeralB64);
  const key = derive(diffieHellman({ privateKey, publicKey: ephemeral }), ephemeralRaw, rawPublic(createPublicKey(privateKey)));
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivB64, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tagB64, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertextB64, 'base64url')), decipher.final()]).toString('utf8');
}

function derive(shared: Buffer, ephemeralPublic: Buffer, recipientPublic: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralPublic, recipientPublic]), INFO, 32));
}

function rawPublic(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
}
