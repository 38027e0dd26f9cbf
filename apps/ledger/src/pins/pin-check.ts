import { verifySecret } from '@tally/auth';
import { DomainError } from '@tally/contracts';
import { LedgerConfig } from '../config/ledger.config';
import { LoadedWallet, PinUpdate } from '../posting/batch-state';
import { DecisionContext } from '../posting/posting-command';
import { checkPin, hashPin, PIN, PinKeys } from './pin-codec';

export interface PinPolicy {
  keys: PinKeys;
  maxAttempts: number;
  lockMs: number;
}

export function pinPolicy(config: Pick<LedgerConfig, 'pinKeys' | 'maxPinAttempts' | 'pinLockMs'>): PinPolicy {
  return { keys: config.pinKeys, maxAttempts: config.maxPinAttempts, lockMs: config.pinLockMs };
}

/** A verdict on an old scrypt hash, reached outside the batch (the KDF is slow). */
export interface LegacyPinVerdict {
  storedHash: string;
  matches: boolean;
}

/**
 * Thrown from a decision that met an old scrypt PIN hash: the command leaves its batch, the hash
 * is checked by the slow KDF (off the batch's connection and locks), and the command comes back
 * with the verdict (`withLegacyPinCheck`). Only wallets opened before keyed PIN hashes meet it,
 * once each: the next correct entry stores the keyed hash.
 */
export class LegacyPinCheckNeeded extends Error {
  readonly deferred = true;

  constructor(readonly storedHash: string) {
    super('the PIN is stored under the old scrypt scheme');
  }
}

type PinWallet = Pick<LoadedWallet, 'id' | 'pin_hash' | 'failed_pin_attempts' | 'pin_locked_until' | 'updated_at'>;

/** What one PIN entry changes and answers: the bookkeeping to store (kept even when refused), and the refusal if any. */
export interface PinJudgement {
  update?: PinUpdate;
  refusal?: DomainError;
}

/**
 * One PIN entry against a wallet whose row the caller holds locked, so misses count exactly: a
 * miss is counted even though the command is refused; the maxAttempts-th locks the PIN for lockMs
 * (PIN_LOCKED with `lockedUntil`), after which the count starts again. A right PIN clears the count
 * and stores the PIN again when its hash is under an older key (or the old scrypt scheme).
 */
export function judgePin(wallet: PinWallet, pin: unknown, policy: PinPolicy, now: Date, legacy?: LegacyPinVerdict): PinJudgement {
  const lockedUntil = currentLock(wallet, policy);
  if (lockedUntil && lockedUntil > now) {
    return { refusal: new DomainError('PIN_LOCKED', 'Too many wrong PINs; the wallet PIN is locked', { lockedUntil: lockedUntil.toISOString() }) };
  }
  // A lock that has run out starts the count again.
  const failures = lockedUntil ? 0 : wallet.failed_pin_attempts;
  const verdict = typeof pin === 'string' && PIN.test(pin) ? checkPin(pin, wallet.pin_hash, policy.keys) : ({ kind: 'mismatch' } as const);
  let matches: boolean;
  let rehash = false;
  if (verdict.kind === 'legacy') {
    if (!legacy || legacy.storedHash !== wallet.pin_hash) throw new LegacyPinCheckNeeded(wallet.pin_hash);
    matches = legacy.matches;
    rehash = true;
  } else if (verdict.kind === 'unknown_key') {
    return { refusal: new DomainError('PIN_LOCKED', 'This PIN can no longer be checked; reset it with your password', { reason: 'pin_key_retired' }) };
  } else {
    matches = verdict.kind === 'match';
    rehash = verdict.kind === 'match' && verdict.rehash;
  }
  if (!matches) {
    const count = failures + 1;
    const until = count >= policy.maxAttempts ? new Date(now.getTime() + policy.lockMs) : null;
    const update = { id: wallet.id, failedAttempts: count, lockedUntil: until?.toISOString() ?? null };
    if (until) return { update, refusal: new DomainError('PIN_LOCKED', 'Too many wrong PINs; the wallet PIN is locked', { lockedUntil: until.toISOString() }) };
    return { update, refusal: new DomainError('INVALID_PIN', 'The PIN is not correct', { attemptsLeft: policy.maxAttempts - count }) };
  }
  if (wallet.failed_pin_attempts > 0 || wallet.pin_locked_until || rehash) {
    return { update: { id: wallet.id, failedAttempts: 0, lockedUntil: null, ...(rehash ? { pinHash: hashPin(pin as string, policy.keys) } : {}) } };
  }
  return {};
}

/** judgePin inside a batch: the bookkeeping is a write the command keeps even when it is refused. */
export function verifyPinInBatch(ctx: DecisionContext, wallet: LoadedWallet, pin: unknown, policy: PinPolicy, legacy?: LegacyPinVerdict): void {
  const judgement = judgePin(wallet, pin, policy, ctx.now, legacy);
  if (judgement.update) ctx.writes.pin(judgement.update, true);
  if (judgement.refusal) throw judgement.refusal;
}

/**
 * When the wallet's PIN lock ends, if it is locked: its stored end, or for a lock from before locks
 * ended (misses at the maximum, no end stored) the time of the last miss plus the lock time.
 */
export function currentLock(
  wallet: Pick<PinWallet, 'failed_pin_attempts' | 'pin_locked_until' | 'updated_at'>,
  policy: Pick<PinPolicy, 'maxAttempts' | 'lockMs'>,
): Date | undefined {
  if (wallet.pin_locked_until) return new Date(wallet.pin_locked_until);
  if (wallet.failed_pin_attempts >= policy.maxAttempts) return new Date(new Date(wallet.updated_at).getTime() + policy.lockMs);
  return undefined;
}

/**
 * Runs a PIN-checked command; if its wallet still has an old scrypt hash, checks that hash with the
 * slow KDF outside any batch and runs the command again with the verdict.
 */
export async function withLegacyPinCheck<T>(pin: unknown, run: (legacy?: LegacyPinVerdict) => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof LegacyPinCheckNeeded)) throw err;
    const matches = typeof pin === 'string' && PIN.test(pin) && (await verifySecret(pin, err.storedHash));
    return run({ storedHash: err.storedHash, matches });
  }
}
