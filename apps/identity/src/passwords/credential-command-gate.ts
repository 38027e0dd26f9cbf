import { IdentityConfig } from '../config/identity.config';
import { HashingPool } from './hashing-pool';

/**
 * Whole credential commands (lookup, lockout claim, hash, settlement) run at most four times the hashing
 * concurrency at once: their database work stays a few connections of the pool whatever the flood,
 * and a full queue answers 503 at once. The hashes inside them take the hasher's own pool.
 */
export const CREDENTIAL_COMMAND_GATE = Symbol('CREDENTIAL_COMMAND_GATE');

export function credentialCommandGate(config: IdentityConfig): HashingPool {
  const { concurrency, maxQueue, maxWaitMs } = config.passwordHashing;
  return new HashingPool({ name: 'credential_commands', concurrency: 4 * concurrency, maxQueue, maxWaitMs });
}
