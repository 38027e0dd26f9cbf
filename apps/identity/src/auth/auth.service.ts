import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  Actor,
  CheckSessionPayload,
  DomainError,
  isUuid,
  LoginPayload,
  LoginResult,
  RefreshPayload,
  RegisterPayload,
  RequestOrigin,
  ResolvedPrincipal,
  SecondFactor,
  UserRegisteredV1,
  UserView,
  uuidv7,
} from '@tally/contracts';
import { returningRows } from '@tally/database';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { recordSecurityEvent } from '../audit/security-audit';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { EmailTokensRepository } from '../email-tokens/email-tokens.repository';
import { MfaService, needsSecondFactor, sessionRoles } from '../mfa/mfa.service';
import { CountedPasswordCheck, invalidCredentials } from '../passwords/counted-password-check';
import { PasswordHasher } from '../passwords/password-hasher';
import { SessionsRepository } from '../sessions/sessions.repository';
import { hashToken, newOpaqueToken } from '../tokens/opaque-token';
import { passwordProblem } from '../users/password-policy';
import { PHONE, USERNAME } from '../users/profile-rules';
import { toUserView } from '../users/user-view';
import { LoginCounter, UserRow, UsersRepository } from '../users/users.repository';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

type Outcome<T> = T | { error: DomainError };

interface OpenedSession {
  user: UserRow;
  sessionId: string;
  refreshToken: string;
  secondFactor: SecondFactor | null;
  absoluteExpiresAt: Date;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly emailTokens: EmailTokensRepository,
    private readonly jwt: JwtService,
    private readonly messaging: Messaging,
    private readonly passwords: PasswordHasher,
    private readonly passwordCheck: CountedPasswordCheck,
    private readonly mfa: MfaService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async register(input: RegisterPayload): Promise<UserView> {
    const email = String(input.email ?? '').trim();
    const problems: Record<string, string> = {};
    if (!EMAIL.test(email)) problems.email = 'must be a valid email address';
    if (typeof input.password !== 'string') {
      problems.password = 'is required';
    } else {
      const weak = passwordProblem(input.password, { email, username: input.username });
      if (weak) problems.password = weak;
    }
    if (typeof input.fullName !== 'string' || input.fullName.trim().length === 0 || input.fullName.length > 200) {
      problems.fullName = 'is required (at most 200 characters)';
    }
    if (input.username !== undefined && !USERNAME.test(String(input.username))) {
      problems.username = 'must be 3 to 32 letters, digits, _ . or -';
    }
    if (input.phone !== undefined && !PHONE.test(String(input.phone))) {
      problems.phone = 'must be a phone number';
    }
    if (Object.keys(problems).length > 0) {
      throw new DomainError('VALIDATION_FAILED', 'Registration is invalid', problems);
    }
    // Hashed before the transaction opens: a slow KDF never holds a connection or a lock.
    const passwordHash = await this.passwords.hash(input.password);
    try {
      const user = await this.dataSource.transaction(async (manager) => {
        const row = await this.users.insert(manager, {
          id: uuidv7(),
          email,
          username: input.username ?? null,
          fullName: input.fullName.trim(),
          phone: input.phone ?? null,
          passwordHash,
        });
        await enqueueEvent(manager, 'identity', UserRegisteredV1, {
          source: 'identity',
          subject: row.id,
          data: { userId: row.id, username: row.username },
        });
        await this.emailTokens.issue(manager, row, 'verify_email', this.config.emailVerificationTtlSeconds);
        return row;
      });
      this.messaging.published();
      return toUserView(user);
    } catch (err) {
      if ((err as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new DomainError('CONFLICT', 'An account with this email or username already exists');
      }
      throw err;
    }
  }

  /**
   * A wrong password, an unknown login name and a closed account all answer the same 401; after
   * MAX_FAILED_LOGINS misses the name is locked (423) whether or not it has an account. The hash
   * runs outside any transaction (CountedPasswordCheck); a right password on an account with TOTP
   * then needs its code (401, details.reason MFA_REQUIRED, and nothing else without it).
   */
  async login(input: LoginPayload): Promise<LoginResult> {
    if (typeof input.password !== 'string' || (!input.email && !input.username)) {
      throw new DomainError('VALIDATION_FAILED', 'email or username, and password, are required');
    }
    const invalid = invalidCredentials();
    const origin = { ip: input.ip, userAgent: input.userAgent };
    const loginName = input.email ? `email:${String(input.email).trim().toLowerCase()}` : `username:${String(input.username).toLowerCase()}`;
    const found = await this.users.findForLoginUnlocked({ email: input.email ? String(input.email).trim() : undefined, username: input.username });
    const counter: LoginCounter = found ? { userId: found.id } : { loginHash: hashToken(loginName) };
    const check = await this.passwordCheck.check(counter, found?.password_hash, input.password, origin);
    // A stored hash from before argon2id (or with a lower cost) is replaced at this login; hashed here, outside the transaction.
    const upgraded = found && check.matches && check.needsRehash ? await this.passwords.hash(input.password).catch(() => undefined) : undefined;
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome<OpenedSession>> => {
      const fail = async (userId: string | null, kind: 'login_failed' | 'mfa_failed' = 'login_failed', error = invalid) => {
        const { newlyLocked } = await this.passwordCheck.settle(manager, counter, 'failed');
        await recordSecurityEvent(manager, { userId, kind, ...origin });
        if (newlyLocked && userId) await recordSecurityEvent(manager, { userId, kind: 'account_locked', ...origin });
        return { error };
      };
      if (!found || !check.matches) return fail(found?.id ?? null);
      const user = await this.users.findForLogin(manager, { id: found.id });
      // The password changed while this one was being checked, or the account closed: the old one no longer counts.
      if (!user || user.password_hash !== found.password_hash || user.status === 'closed') return fail(found.id);
      const second = await this.mfa.checkAtLogin(manager, user.id, input);
      if ('missing' in second) {
        await this.passwordCheck.settle(manager, counter, 'not_counted');
        return {
          error: new DomainError('UNAUTHENTICATED', 'This account needs its second factor: send totpCode (or a recoveryCode)', { reason: 'MFA_REQUIRED' }),
        };
      }
      if ('invalid' in second) {
        return fail(user.id, 'mfa_failed', new DomainError('UNAUTHENTICATED', 'Invalid credentials', { reason: 'MFA_INVALID' }));
      }
      await this.passwordCheck.settle(manager, counter, 'succeeded');
      if (upgraded) await this.users.upgradePasswordHash(manager, user.id, found.password_hash, upgraded);
      const secondFactor = 'factor' in second ? second.factor : null;
      if (secondFactor === 'recovery_code') await recordSecurityEvent(manager, { userId: user.id, kind: 'recovery_code_used', ...origin });
      const opened = await this.openSession(manager, user, secondFactor, origin);
      await recordSecurityEvent(manager, { userId: user.id, kind: 'login_succeeded', sessionId: opened.sessionId, ...origin });
      return opened;
    });
    this.messaging.published();
    if ('error' in outcome) throw outcome.error;
    return this.tokens(outcome);
  }

  /**
   * Rotates the refresh token: the old one is kept (hashed) as rotated, and presenting a rotated
   * one again means it leaked, so the whole session is revoked.
   */
  async refresh(input: RefreshPayload): Promise<LoginResult> {
    if (typeof input.refreshToken !== 'string' || input.refreshToken.length === 0 || input.refreshToken.length > 200) {
      throw new DomainError('VALIDATION_FAILED', 'refreshToken is required', { refreshToken: 'is required' });
    }
    const invalid = new DomainError('UNAUTHENTICATED', 'The refresh token is invalid, expired or revoked');
    const hash = hashToken(input.refreshToken);
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome<OpenedSession>> => {
      const session = await this.sessions.findByRefreshHashForUpdate(manager, hash);
      if (!session) {
        const reusedFrom = await this.sessions.findRotated(manager, hash);
        if (reusedFrom) {
          const userId = await this.revokeReused(manager, reusedFrom);
          await recordSecurityEvent(manager, { userId, kind: 'refresh_token_reused', sessionId: reusedFrom, ip: input.ip, userAgent: input.userAgent });
        }
        return { error: invalid };
      }
      const now = new Date();
      // Past its absolute end a session is over, however recently it was refreshed.
      if (session.revoked_at || new Date(session.expires_at) <= now || new Date(session.absolute_expires_at) <= now) return { error: invalid };
      const user = await this.users.findForLogin(manager, { id: session.user_id });
      if (!user || user.status === 'closed') return { error: invalid };
      const refreshToken = newOpaqueToken();
      await this.sessions.rotate(manager, session, hashToken(refreshToken), this.refreshExpiry(), { ip: input.ip });
      return { user, sessionId: session.id, refreshToken, secondFactor: session.second_factor, absoluteExpiresAt: new Date(session.absolute_expires_at) };
    });
    this.messaging.published();
    if ('error' in outcome) throw outcome.error;
    return this.tokens(outcome);
  }

  /** Ends the session the access token belongs to. */
  async logout(actor: Actor, origin: RequestOrigin): Promise<void> {
    if (!actor.sessionId) throw new DomainError('UNAUTHENTICATED', 'Logout needs a session access token');
    const sessionId = actor.sessionId;
    await this.dataSource.transaction(async (manager) => {
      const revoked = await this.sessions.revoke(manager, actor.userId, sessionId, 'logout');
      if (revoked) await recordSecurityEvent(manager, { userId: actor.userId, kind: 'logout', sessionId, ...origin });
    });
    this.messaging.published();
  }

  /** The gateway asks this on (uncached) requests: is the token's session still live, and who is its user now? */
  async checkSession(input: CheckSessionPayload): Promise<ResolvedPrincipal> {
    if (!isUuid(input.userId) || !isUuid(input.sessionId)) throw new DomainError('UNAUTHENTICATED', 'The session is not valid');
    const live = await this.sessions.findLive(input.userId, input.sessionId);
    if (!live) throw new DomainError('UNAUTHENTICATED', 'The session has ended; log in again');
    return { userId: input.userId, sessionId: input.sessionId, roles: sessionRoles(live.roles, live.second_factor), status: live.status };
  }

  async me(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('NOT_FOUND', 'User not found');
    return toUserView(user);
  }

  private async revokeReused(manager: EntityManager, sessionId: string): Promise<string | null> {
    const rows = returningRows<{ user_id: string }>(
      await manager.query(
        `UPDATE identity.sessions SET revoked_at = coalesce(revoked_at, now()), revoked_reason = coalesce(revoked_reason, 'refresh_token_reused')
        WHERE id = $1 RETURNING user_id`,
        [sessionId],
      ),
    );
    return rows[0]?.user_id ?? null;
  }

  /** A new session (refresh token stored hashed) with its absolute end fixed now. */
  private async openSession(manager: EntityManager, user: UserRow, secondFactor: SecondFactor | null, origin: RequestOrigin): Promise<OpenedSession> {
    const sessionId = randomUUID();
    const refreshToken = newOpaqueToken();
    const absoluteExpiresAt = new Date(Date.now() + this.config.sessionAbsoluteLifetimeHours * 3_600_000);
    await this.sessions.insert(manager, {
      id: sessionId,
      userId: user.id,
      refreshTokenHash: hashToken(refreshToken),
      ...origin,
      expiresAt: this.refreshExpiry(),
      absoluteExpiresAt,
      secondFactor,
    });
    return { user, sessionId, refreshToken, secondFactor, absoluteExpiresAt };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000);
  }

  /** The token pair; an access token never outlives its session, and carries the session's roles (admin and auditor only with a second factor). */
  private async tokens(opened: OpenedSession): Promise<LoginResult> {
    const { user, sessionId, refreshToken, secondFactor, absoluteExpiresAt } = opened;
    const ttlSeconds = Math.max(1, Math.min(this.config.accessTokenTtlSeconds, Math.floor((absoluteExpiresAt.getTime() - Date.now()) / 1000)));
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const accessToken = await this.jwt.signAsync({ sub: user.id, roles: sessionRoles(user.roles, secondFactor), sid: sessionId }, { expiresIn: ttlSeconds });
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresAt: expiresAt.toISOString(),
      sessionExpiresAt: absoluteExpiresAt.toISOString(),
      secondFactor,
      mfaEnrolmentRequired: secondFactor === null && needsSecondFactor(user.roles),
      user: toUserView(user),
    };
  }
}
