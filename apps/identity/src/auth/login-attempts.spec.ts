import { claimAttempt, settleAttempt } from './login-attempts';

const MAX = 5;
const LOCK_MS = 30 * 60_000;
const now = new Date('2026-03-01T12:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('login attempts: claimed before the hash, settled after it', () => {
  it('lets MAX_FAILED_LOGINS concurrent guesses through and no more: the next claim locks', () => {
    let state = { failedLogins: 0, lockedUntil: null as Date | null };
    const allowed: boolean[] = [];
    const locks: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      const claim = claimAttempt(state, now, MAX, LOCK_MS);
      allowed.push(claim.allowed);
      locks.push(claim.newlyLocked);
      state = claim.next;
    }
    expect(allowed).toEqual([true, true, true, true, true, false, false, false]);
    // The claim that found the count full locked it, once; the failures settling later lock nothing more.
    expect(locks).toEqual([false, false, false, false, false, true, false, false]);
    expect(settleAttempt(state, 'failed', now, MAX, LOCK_MS).newlyLocked).toBe(false);
    expect(state.lockedUntil).toEqual(later(LOCK_MS));
  });

  it('the fifth failure locks for LOCKOUT_MINUTES, once', () => {
    const settled = settleAttempt({ failedLogins: 5, lockedUntil: null }, 'failed', now, MAX, LOCK_MS);
    expect(settled).toEqual({ next: { failedLogins: 5, lockedUntil: later(LOCK_MS) }, newlyLocked: true });
    expect(settleAttempt(settled.next, 'failed', now, MAX, LOCK_MS).newlyLocked).toBe(false);
    expect(settleAttempt({ failedLogins: 3, lockedUntil: null }, 'failed', now, MAX, LOCK_MS)).toEqual({
      next: { failedLogins: 3, lockedUntil: null },
      newlyLocked: false,
    });
  });

  it('a lock refuses until it ends; then the count starts afresh', () => {
    const locked = { failedLogins: 5, lockedUntil: later(LOCK_MS) };
    expect(claimAttempt(locked, later(LOCK_MS - 1), MAX, LOCK_MS).allowed).toBe(false);
    expect(claimAttempt(locked, later(LOCK_MS), MAX, LOCK_MS)).toEqual({ allowed: true, next: { failedLogins: 1, lockedUntil: null }, newlyLocked: false });
  });

  it('a success clears the count and the lock; a right password awaiting its second factor gives its place back', () => {
    expect(settleAttempt({ failedLogins: 4, lockedUntil: null }, 'succeeded', now, MAX, LOCK_MS).next).toEqual({ failedLogins: 0, lockedUntil: null });
    expect(settleAttempt({ failedLogins: 4, lockedUntil: null }, 'not_counted', now, MAX, LOCK_MS).next).toEqual({ failedLogins: 3, lockedUntil: null });
    // Giving the place back never lifts a lock others set meanwhile.
    const locked = { failedLogins: 5, lockedUntil: later(LOCK_MS) };
    expect(settleAttempt(locked, 'not_counted', now, MAX, LOCK_MS).next).toEqual({ failedLogins: 4, lockedUntil: later(LOCK_MS) });
  });
});
