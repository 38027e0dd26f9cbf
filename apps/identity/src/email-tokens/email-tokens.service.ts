import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TOKEN_DIGEST } from '@tally/auth';
import { DomainError, ForgotPasswordPayload, ResetPasswordPayload, TokenPayload } from '@tally/contracts';
import { Messaging } from '@tally/messaging';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { recordSecurityEvent } from '../audit/security-audit';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { endAccessAfterNewPassword } from '../passwords/passwords.service';
import { PasswordHasher } from '../passwords/password-hasher';
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
    private readonly apiKeys: ApiKeysRepository,
    private readonly tokens: EmailTokensRepository,
    private readonly passwords: PasswordHasher,
    private readonly messaging: Messaging,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async verifyEmail(input: TokenPayload): Promise<void> {
    const token = requireTokenHash(input.tokenHash);
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

  /**
   * Sets a new password with a reset token; every session of the user ends, and every API key
   * unless keepApiKeys. The new password is hashed before the transaction (a KDF never runs inside
   * one); the token is used up in it, so a weak password or a lost race leaves it usable.
   */
  async resetPassword(input: ResetPasswordPayload): Promise<{ userId: string }> {
    const token = requireTokenHash(input.tokenHash);
    if (typeof input.newPassword !== 'string') {
      throw new DomainError('VALIDATION_FAILED', 'newPassword is required', { newPassword: 'is required' });
    }
    if (input.keepApiKeys !== undefined && typeof input.keepApiKeys !== 'boolean') {
      throw new DomainError('VALIDATION_FAILED', 'keepApiKeys must be a boolean', { keepApiKeys: 'must be a boolean' });
    }
    const badToken = () => new DomainError('VALIDATION_FAILED', BAD_TOKEN, { token: BAD_TOKEN });
    const userId = await this.tokens.peek(this.dataSource.manager, token, 'reset_password');
    const user = userId ? await this.users.findById(userId) : undefined;
    if (!user || user.status === 'closed') throw badToken();
    const weak = passwordProblem(input.newPassword, { email: user.email, username: user.username });
    if (weak) throw new DomainError('VALIDATION_FAILED', 'The new password is too weak', { newPassword: weak });
    const newHash = await this.passwords.hash(input.newPassword);
    const origin = { ip: input.ip, userAgent: input.userAgent };
    await this.dataSource.transaction(async (manager) => {
      if ((await this.tokens.consume(manager, token, 'reset_password')) !== user.id) throw badToken();
      await this.users.setPassword(manager, user.id, newHash);
      await endAccessAfterNewPassword(manager, { sessions: this.sessions, apiKeys: this.apiKeys }, user, {
        reason: 'password_reset',
        keepApiKeys: input.keepApiKeys,
        origin,
      });
      await recordSecurityEvent(manager, { userId: user.id, kind: 'password_changed', ...origin });
    });
    this.messaging.published();
    // For the gateway's cache only (it answers 204): the user whose sessions and keys just ended.
    return { userId: user.id };
  }
}

/** The gateway sends an emailed token as its digest; anything else is refused like a missing token. */
function requireTokenHash(tokenHash: unknown): string {
  if (typeof tokenHash !== 'string' || !TOKEN_DIGEST.test(tokenHash)) {
    throw new DomainError('VALIDATION_FAILED', 'token is required', { token: 'is required' });
  }
  return tokenHash;
}
