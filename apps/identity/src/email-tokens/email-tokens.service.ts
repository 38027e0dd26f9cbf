import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashSecret } from '@tally/auth';
import { DomainError, ForgotPasswordPayload, ResetPasswordPayload, TokenPayload } from '@tally/contracts';
import { Messaging } from '@tally/messaging';
import { recordSecurityEvent } from '../audit/security-audit';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { SessionsRepository } from '../sessions/sessions.repository';
import { passwordProblem } from '../users/password-policy';
import { UsersRepository } from '../users/users.repository';
import { EmailTokensRepository } from './email-tokens.repository';

const BAD_TOKEN = 'The token is invalid, already used or expired';

/** Email verification and password reset. */
@Injectable()
export class EmailTokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: EmailTokensRepository,
    private readonly messaging: Messaging,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async verifyEmail(input: TokenPayload): Promise<void> {
    const token = requireToken(input.token);
    await this.dataSource.transaction(async (manager) => {
      const userId = await this.tokens.consume(manager, token, 'verify_email');
      if (!userId) throw new DomainError('VALIDATION_FAILED', BAD_TOKEN, { token: BAD_TOKEN });
      await this.users.markEmailVerified(manager, userId);
      await recordSecurityEvent(manager, { userId, kind: 'email_verified', ip: input.ip, userAgent: input.userAgent });
    });
    this.messaging.published();
  }

  /** Answers the same whether or not the email has an account; only an existing, open one gets an email. */
  async forgotPassword(input: ForgotPasswordPayload): Promise<{ message: string }> {
    const email = typeof input.email === 'string' ? input.email.trim() : '';
    if (!email || email.length > 320) throw new DomainError('VALIDATION_FAILED', 'email is required', { email: 'is required' });
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findForLogin(manager, { email });
      if (!user || user.status === 'closed') return;
      await this.tokens.issue(manager, user, 'reset_password', this.config.passwordResetTtlSeconds);
      await recordSecurityEvent(manager, { userId: user.id, kind: 'password_reset_requested', ip: input.ip, userAgent: input.userAgent });
    });
    this.messaging.published();
    return { message: 'If an account uses this email, a reset link is on its way' };
  }

  /** Sets a new password with a reset token; every session of the user is revoked (log in again everywhere). */
  async resetPassword(input: ResetPasswordPayload): Promise<void> {
    const token = requireToken(input.token);
    if (typeof input.newPassword !== 'string') {
      throw new DomainError('VALIDATION_FAILED', 'newPassword is required', { newPassword: 'is required' });
    }
    await this.dataSource.transaction(async (manager) => {
      const userId = await this.tokens.consume(manager, token, 'reset_password');
      if (!userId) throw new DomainError('VALIDATION_FAILED', BAD_TOKEN, { token: BAD_TOKEN });
      const user = await this.users.findForLogin(manager, { id: userId });
      if (!user || user.status === 'closed') throw new DomainError('VALIDATION_FAILED', BAD_TOKEN, { token: BAD_TOKEN });
      // A weak password rolls the transaction back, so the token stays usable for a better one.
      const weak = passwordProblem(input.newPassword, { email: user.email, username: user.username });
      if (weak) throw new DomainError('VALIDATION_FAILED', 'The new password is too weak', { newPassword: weak });
      await this.users.setPassword(manager, user.id, await hashSecret(input.newPassword));
      await this.sessions.revokeAllForUser(manager, user.id, 'password_reset');
      await recordSecurityEvent(manager, { userId: user.id, kind: 'password_changed', ip: input.ip, userAgent: input.userAgent });
    });
    this.messaging.published();
  }
}

function requireToken(token: unknown): string {
  if (typeof token !== 'string' || token.length === 0 || token.length > 200) {
    throw new DomainError('VALIDATION_FAILED', 'token is required', { token: 'is required' });
  }
  return token;
}
