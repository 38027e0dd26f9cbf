import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, ChangePasswordPayload, DomainError, ReauthenticatePayload, RequestOrigin } from '@tally/contracts';
import { Messaging } from '@tally/messaging';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { recordSecurityEvent } from '../audit/security-audit';
import { SessionsRepository } from '../sessions/sessions.repository';
import { passwordProblem } from '../users/password-policy';
import { UserRow, UsersRepository } from '../users/users.repository';
import { CountedPasswordCheck, invalidCredentials } from './counted-password-check';
import { PasswordHasher } from './password-hasher';

/** Why every session and (unless kept) API key of an account ends: its password was replaced. */
export type PasswordReplacement = 'password_changed' | 'password_reset';

/**
 * Ends what the old password opened: every session but `keepSession`, and the API keys unless the
 * user keeps them; each revoked key is in the audit trail. In the caller's transaction.
 */
export async function endAccessAfterNewPassword(
  manager: EntityManager,
  deps: { sessions: SessionsRepository; apiKeys: ApiKeysRepository },
  user: { id: string },
  options: { reason: PasswordReplacement; keepSession?: string; keepApiKeys?: boolean; origin: RequestOrigin },
): Promise<void> {
  await deps.sessions.revokeAllForUser(manager, user.id, options.reason, options.keepSession);
  if (options.keepApiKeys === true) return;
  for (const apiKeyId of await deps.apiKeys.revokeAllForUser(manager, user.id)) {
    await recordSecurityEvent(manager, { userId: user.id, kind: 'api_key_revoked', apiKeyId, ...options.origin });
  }
}

/** The signed-in user's own password: change it, or prove it again (re-authentication). */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly passwords: PasswordHasher,
    private readonly passwordCheck: CountedPasswordCheck,
    private readonly messaging: Messaging,
  ) {}

  /**
   * POST /v1/me/password: the current password (counted toward the lockout like a login), then the
   * new one; the caller's other sessions end, and its API keys unless keepApiKeys.
   */
  async change(actor: Actor, input: ChangePasswordPayload): Promise<void> {
    const problems: Record<string, string> = {};
    if (typeof input.currentPassword !== 'string' || input.currentPassword.length === 0) problems.currentPassword = 'is required';
    if (typeof input.newPassword !== 'string') problems.newPassword = 'is required';
    if (input.keepApiKeys !== undefined && typeof input.keepApiKeys !== 'boolean') problems.keepApiKeys = 'must be a boolean';
    if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The password change is invalid', problems);
    const user = await this.verifyOwn(actor, input.currentPassword, input, 'password_change');
    const weak = passwordProblem(input.newPassword, { email: user.email, username: user.username });
    if (weak) throw new DomainError('VALIDATION_FAILED', 'The new password is too weak', { newPassword: weak });
    if (input.newPassword === input.currentPassword) {
      throw new DomainError('VALIDATION_FAILED', 'The new password must differ from the current one', { newPassword: 'must differ from currentPassword' });
    }
    const newHash = await this.passwords.hash(input.newPassword);
    const origin = { ip: input.ip, userAgent: input.userAgent };
    await this.dataSource.transaction(async (manager) => {
      const current = await this.users.findForLogin(manager, { id: user.id });
      // Changed by someone else since the check (a reset): the current password given is no longer it.
      if (!current || current.password_hash !== user.password_hash) throw invalidCredentials('The current password is not right');
      await this.users.setPassword(manager, user.id, newHash);
      await endAccessAfterNewPassword(manager, { sessions: this.sessions, apiKeys: this.apiKeys }, user, {
        reason: 'password_changed',
        keepSession: actor.sessionId,
        keepApiKeys: input.keepApiKeys,
        origin,
      });
      await recordSecurityEvent(manager, { userId: user.id, kind: 'password_changed', sessionId: actor.sessionId, ...origin });
    });
    this.messaging.published();
  }

  /** Checks the actor's password again: `{}` when right, else 401 INVALID_CREDENTIALS (counted), 423 once locked. */
  async reauthenticate(actor: Actor, input: ReauthenticatePayload): Promise<Record<string, never>> {
    if (typeof input.password !== 'string' || input.password.length === 0) {
      throw new DomainError('VALIDATION_FAILED', 'password is required', { password: 'is required' });
    }
    await this.verifyOwn(actor, input.password, input, 'reauthentication');
    return {};
  }

  /** The actor's password checked and counted; success and failure both audited, the success settling the count. */
  private async verifyOwn(actor: Actor, password: string, origin: RequestOrigin, purpose: 'reauthentication' | 'password_change'): Promise<UserRow> {
    const user = await this.users.findForLoginUnlocked({ id: actor.userId });
    if (!user || user.status === 'closed') throw new DomainError('UNAUTHENTICATED', 'This command needs an authenticated user');
    const counter = { userId: user.id };
    const where = { ip: origin.ip, userAgent: origin.userAgent, sessionId: actor.sessionId };
    const check = await this.passwordCheck.check(counter, user.password_hash, password, where);
    const matched = await this.dataSource.transaction(async (manager) => {
      const { newlyLocked } = await this.passwordCheck.settle(manager, counter, check.matches ? 'succeeded' : 'failed');
      const kind = check.matches ? 'reauthenticated' : 'reauthentication_failed';
      if (purpose === 'reauthentication' || !check.matches) await recordSecurityEvent(manager, { userId: user.id, kind, ...where });
      if (newlyLocked) await recordSecurityEvent(manager, { userId: user.id, kind: 'account_locked', ...where });
      return check.matches;
    });
    this.messaging.published();
    if (!matched) throw invalidCredentials(purpose === 'password_change' ? 'The current password is not right' : 'The password is not right');
    return user;
  }
}
