import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { verifySecret } from '@tally/auth';
import { HashingPool } from './hashing-pool';

/** argon2id cost; OWASP's floor is m = 19 MiB, t = 2, p = 1 (Password Storage Cheat Sheet). */
export interface Argon2Cost {
  memoryKib: number;
  timeCost: number;
}

export const OWASP_ARGON2_FLOOR: Argon2Cost = { memoryKib: 19_456, timeCost: 2 };

/** A verification's outcome: whether it matched, and whether the stored hash should be replaced by a current one. */
export interface PasswordCheck {
  matches: boolean;
  needsRehash: boolean;
}

// The package's Algorithm is a `const enum` (empty at run time under swc): its Argon2id member is 2.
const ARGON2ID = 2 as Algorithm;
const ARGON2_PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/**
 * Passwords: argon2id (PHC string `$argon2id$v=19$m=…,t=…,p=1$salt$hash`) through @node-rs/argon2,
 * every hash and check in the bounded HashingPool. Hashes from before argon2 (`scrypt$N$r$p$salt$hash`,
 * libs/auth) still verify and report needsRehash, so a login upgrades them. Input is NFKC-normalised
 * as the scrypt hashes were, so a password typed on another keyboard still matches.
 */
export class PasswordHasher {
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly pool: HashingPool,
    private readonly cost: Argon2Cost,
  ) {}

  /** Hashes running and waiting now (also exported as metrics by the pool). */
  get stats(): { running: number; queued: number } {
    return this.pool.stats;
  }

  hash(password: string): Promise<string> {
    return this.pool.run(() => this.argon2(password));
  }

  async verify(password: string, stored: string): Promise<PasswordCheck> {
    const phc = ARGON2_PHC.exec(stored);
    if (phc) {
      const [m, t, p] = phc.slice(1).map(Number);
      const matches = await this.pool.run(() => verify(stored, password.normalize('NFKC')).catch(() => false));
      return { matches, needsRehash: m < this.cost.memoryKib || t < this.cost.timeCost || p !== 1 };
    }
    if (stored.startsWith('scrypt$')) {
      return { matches: await this.pool.run(() => verifySecret(password, stored)), needsRehash: true };
    }
    return { matches: false, needsRehash: false };
  }

  /**
   * The same work as checking a real account, against a hash of a random secret with the current
   * cost: a login naming no account takes as long as one naming an account, and never matches.
   */
  async verifyDecoy(password: string): Promise<void> {
    this.decoy ??= this.argon2(randomBytes(16).toString('hex'));
    const decoy = await this.decoy;
    await this.pool.run(() => verify(decoy, password.normalize('NFKC')).catch(() => false));
  }

  private argon2(password: string): Promise<string> {
    return hash(password.normalize('NFKC'), {
      algorithm: ARGON2ID,
      memoryCost: this.cost.memoryKib,
      timeCost: this.cost.timeCost,
      parallelism: 1,
      outputLen: 32,
    });
  }
}
