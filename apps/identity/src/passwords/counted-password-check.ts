import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError, RequestOrigin } from '@tally/contracts';
import { recordSecurityEvent } from '../audit/security-audit';
import { AttemptOutcome } from '../auth/login-attempts';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { LoginCounter, UsersRepository } from '../users/users.repository';
import { PasswordCheck, PasswordHasher } from './password-hasher';

export function accountLocked(): DomainError {
  return new DomainError('ACCOUNT_LOCKED', 'Too many failed sign-ins; try again later');
}

/** A password that does not match (login, change, re-authentication all answer it alike). */
export function invalidCredentials(message = 'Invalid credentials'): DomainError {
  return new DomainError('UNAUTHENTICATED', message, { reason: 'INVALID_CREDENTIALS' });
}

/**
 * A password check that counts toward the lockout: a place in the count is claimed first (a short
 * transaction), then the hash runs in the bounded pool outside any transaction, and the caller
 * settles the outcome in its own transaction with `settle`. A name without an account (no stored
 * hash) is checked against the decoy, so it costs the same.
 */
@Injectable()
export class CountedPasswordCheck {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** ACCOUNT_LOCKED before any hash runs when the name is locked; SERVICE_UNAVAILABLE (place given back) when the pool is full. */
  async check(counter: LoginCounter, storedHash: string | undefined, password: string, origin: RequestOrigin & { sessionId?: string }): Promise<PasswordCheck> {
    const onLocked = async (manager: EntityManager) => {
      if ('userId' in counter) await recordSecurityEvent(manager, { userId: counter.userId, kind: 'account_locked', ...origin });
    };
    if (!(await this.users.claimLoginAttempt(counter, this.config.maxFailedLogins, this.lockoutMs, onLocked))) throw accountLocked();
    try {
      if (storedHash === undefined) {
        await this.passwords.verifyDecoy(password);
        return { matches: false, needsRehash: false };
      }
      return await this.passwords.verify(password, storedHash);
    } catch (err) {
      await this.users.dataSource.transaction((manager) => this.settle(manager, counter, 'not_counted'));
      throw err;
    }
  }

  settle(manager: EntityManager, counter: LoginCounter, outcome: AttemptOutcome): Promise<{ newlyLocked: boolean }> {
    return this.users.settleLoginAttempt(manager, counter, outcome, this.config.maxFailedLogins, this.lockoutMs);
  }

  private get lockoutMs(): number {
    return this.config.lockoutMinutes * 60_000;
  }
}
