/**
 * The lockout counter, claimed before a password is checked. Each attempt first takes a place in
 * the count (atomically, row locked), then the slow hash runs outside any transaction, then the
 * outcome settles the count. So N concurrent guesses against one name can never check more than
 * MAX_FAILED_LOGINS passwords, and the hash never holds a row lock or a transaction open.
 */
export interface AttemptState {
  failedLogins: number;
  lockedUntil: Date | null;
}

/** `newlyLocked`: this claim found the count full and locked the name (the audit trail says so once). */
export type AttemptClaim = { allowed: true; next: AttemptState; newlyLocked: false } | { allowed: false; next: AttemptState; newlyLocked: boolean };

export function claimAttempt(state: AttemptState, now: Date, maxFailures: number, lockoutMs: number): AttemptClaim {
  if (state.lockedUntil && state.lockedUntil > now) return { allowed: false, next: state, newlyLocked: false };
  // An expired lock starts a fresh count; otherwise the first miss after it would lock again.
  if (state.lockedUntil) return { allowed: true, next: { failedLogins: 1, lockedUntil: null }, newlyLocked: false };
  // The count is full of attempts still being checked (or lost to a crash): lock now.
  if (state.failedLogins >= maxFailures) {
    return { allowed: false, next: { failedLogins: state.failedLogins, lockedUntil: new Date(now.getTime() + lockoutMs) }, newlyLocked: true };
  }
  return { allowed: true, next: { failedLogins: state.failedLogins + 1, lockedUntil: null }, newlyLocked: false };
}

export type AttemptOutcome = 'failed' | 'succeeded' | 'not_counted';

/** The count after a claimed attempt's outcome; `newlyLocked` when this failure is the one that locks. */
export function settleAttempt(
  state: AttemptState,
  outcome: AttemptOutcome,
  now: Date,
  maxFailures: number,
  lockoutMs: number,
): { next: AttemptState; newlyLocked: boolean } {
  const locked = state.lockedUntil !== null && state.lockedUntil > now;
  if (outcome === 'succeeded') return { next: { failedLogins: 0, lockedUntil: null }, newlyLocked: false };
  // A right password still missing its second factor gives its place back: neither a failure nor a reset.
  if (outcome === 'not_counted') return { next: { failedLogins: Math.max(0, state.failedLogins - 1), lockedUntil: state.lockedUntil }, newlyLocked: false };
  if (!locked && state.failedLogins >= maxFailures) {
    return { next: { failedLogins: state.failedLogins, lockedUntil: new Date(now.getTime() + lockoutMs) }, newlyLocked: true };
  }
  return { next: state, newlyLocked: false };
}
