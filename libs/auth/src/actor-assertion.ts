import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * Actor assertions: the gateway signs every command it sends (Ed25519, a JWT per command) with who
 * asks (the actor it authenticated, or none), for which service, which command, which payload and
 * Idempotency-Key, for a minute. A service believes only the actor in a valid assertion: a command
 * written to the bus by anything else (a forged actor, an admin role claimed, a payload swapped
 * under a captured assertion, a replay) is refused. Only the gateway holds the private key; every
 * service holds the public keys (several, for rotation).
 */
export const ASSERTION_ISSUER = 'tally-gateway';
export const ASSERTION_LIFETIME_SECONDS = 60;
const PKCS8_ED25519_HEADER = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The repository's development key pair: refused in production (its private half is public). */
export const DEV_ACTOR_ASSERTION_PRIVATE_KEY = 'Yss89t7Ipbf22S4it9k6_g_y9f3KlNJoC-q9xF9Uc14';
export const DEV_ACTOR_ASSERTION_PUBLIC_KEY = 'ebRhsoAWTP_nyv2ez2tO5ks4Z3N77Q6_WZ54kBufsuM';

/** What an assertion vouches for. */
export interface AssertedCommand<TActor> {
  /** The receiving service (the JWT audience). */
  audience: string;
  type: string;
  /** The command's contract version; 1 when left out. */
  version?: number;
  actor?: TActor;
  idempotencyKey?: string;
  payload: unknown;
}

export class ActorAssertionError extends Error {
  constructor(readonly reason: 'missing' | 'invalid' | 'expired' | 'mismatch' | 'replayed') {
    super(`actor assertion ${reason}`);
  }
}

/** Keys travel in configuration as base64url of the raw 32 bytes (private: the seed). */
export function ed25519PrivateKey(raw: string): KeyObject {
  const seed = Buffer.from(raw, 'base64url');
  if (seed.length !== 32) throw new Error('an Ed25519 private key is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_HEADER, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519PublicKey(raw: string): KeyObject {
  if (Buffer.from(raw, 'base64url').length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
}

/** The raw public key (base64url) of a raw private one. */
export function ed25519PublicOf(rawPrivate: string): string {
  return createPublicKey(ed25519PrivateKey(rawPrivate)).export({ format: 'jwk' }).x as string;
}

/** A fresh key pair, raw base64url, for configuration (docs/security.md). */
export function newEd25519KeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ format: 'jwk' }).x as string, privateKey: privateKey.export({ format: 'jwk' }).d as string };
}

/** SHA-256 of the payload as JSON: what travels is what was signed (JSON.parse then stringify keeps the text). */
export function payloadDigest(payload: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(payload ?? {}))
    .digest('base64url');
}

export class ActorAssertionSigner {
  private readonly key: KeyObject;

  constructor(rawPrivateKey: string) {
    this.key = ed25519PrivateKey(rawPrivateKey);
  }

  sign<TActor>(command: AssertedCommand<TActor>): Promise<string> {
    return new SignJWT({
      act: command.actor ?? null,
      typ: command.type,
      ver: command.version ?? 1,
      ik: command.idempotencyKey ?? null,
      pd: payloadDigest(command.payload),
    })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer(ASSERTION_ISSUER)
      .setAudience(command.audience)
      .setIssuedAt()
      .setExpirationTime(`${ASSERTION_LIFETIME_SECONDS}s`)
      .setJti(randomUUID())
      .sign(this.key);
  }
}

/**
 * Checks a command's assertion and answers the actor it vouches for. Each assertion is taken once
 * per process (its id is remembered until it expires); across replicas the one-minute lifetime
 * and the commands' Idempotency-Keys bound what a replay could do.
 */
export class ActorAssertionVerifier {
  private readonly keys: KeyObject[];
  private readonly seen = new Map<string, number>();
  private sweptAt = 0;

  constructor(
    rawPublicKeys: string[],
    private readonly audience: string,
    private readonly now: () => number = Date.now,
  ) {
    if (rawPublicKeys.length === 0) throw new Error('at least one actor assertion public key is needed');
    this.keys = rawPublicKeys.map(ed25519PublicKey);
  }

  async verify<TActor>(token: unknown, command: Omit<AssertedCommand<TActor>, 'audience' | 'actor'>): Promise<TActor | undefined> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) throw new ActorAssertionError('missing');
    let claims: Record<string, unknown> | undefined;
    for (const key of this.keys) {
      try {
        claims = (
          await jwtVerify(token, key, {
            algorithms: ['EdDSA'],
            issuer: ASSERTION_ISSUER,
            audience: this.audience,
            requiredClaims: ['exp', 'iat', 'jti'],
            currentDate: new Date(this.now()),
            maxTokenAge: `${ASSERTION_LIFETIME_SECONDS + 5}s`,
          })
        ).payload as Record<string, unknown>;
        break;
      } catch (err) {
        if (err instanceof errors.JWTExpired) throw new ActorAssertionError('expired');
        if (!(err instanceof errors.JWSSignatureVerificationFailed)) throw new ActorAssertionError('invalid');
      }
    }
    if (!claims) throw new ActorAssertionError('invalid');
    if (
      claims.typ !== command.type ||
      (claims.ver ?? 1) !== (command.version ?? 1) ||
      (claims.ik ?? undefined) !== (command.idempotencyKey ?? undefined) ||
      claims.pd !== payloadDigest(command.payload)
    ) {
      throw new ActorAssertionError('mismatch');
    }
    this.remember(claims.jti as string, (claims.exp as number) * 1000);
    return (claims.act ?? undefined) as TActor | undefined;
  }

  private remember(id: string, expiresAt: number): void {
    const now = this.now();
    if ((this.seen.get(id) ?? 0) > now) throw new ActorAssertionError('replayed');
    if (now - this.sweptAt > 10_000) {
      this.sweptAt = now;
      for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
    }
    this.seen.set(id, expiresAt);
  }
}
