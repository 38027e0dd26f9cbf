import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { decoyHash, hashSecret, verifySecret } from '@tally/auth';
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
  UserRegisteredV1,
  UserView,
  uuidv7,
} from '@tally/contracts';
import { returningRows } from '@tally/database';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { recordSecurityEvent } from '../audit/security-audit';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { EmailTokensRepository } from '../email-tokens/email-tokens.repository';
import { SessionsRepository } from '../sessions/sessions.repository';
import { hashToken, newOpaqueToken } from '../tokens/opaque-token';
import { passwordProblem } from '../users/password-policy';
import { toUserView } from '../users/user-view';
import { UserRow, UsersRepository } from '../users/users.repository';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
const USERNAME = /^[a-zA-Z0-9_.-]{3,32}$/;

type Outcome<T> = T | { error: DomainError };

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly emailTokens: EmailTokensRepository,
    private readonly jwt: JwtService,
    private readonly messaging: Messaging,
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
    if (input.phone !== undefined && !/^\+?[0-9 ()-]{6,20}$/.test(String(input.phone))) {
      problems.phone = 'must be a phone number';
    }
    if (Object.keys(problems).length > 0) {
      throw new DomainError('VALIDATION_FAILED', 'Registration is invalid', problems);
    }
    const passwordHash = await hashSecret(input.password);
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
   * MAX_FAILED_LOGINS misses the name is locked (423) whether or not it has an account.
   */
  async login(input: LoginPayload): Promise<LoginResult> {
    if (typeof input.password !== 'string' || (!input.email && !input.username)) {
      throw new DomainError('VALIDATION_FAILED', 'email or username, and password, are required');
    }
    const invalid = new DomainError('UNAUTHENTICATED', 'Invalid credentials');
    const locked = new DomainError('ACCOUNT_LOCKED', 'Too many failed logins; try again later');
    const origin = { ip: input.ip, userAgent: input.userAgent };
    const loginName = input.email ? `email:${input.email.trim().toLowerCase()}` : `username:${String(input.username).toLowerCase()}`;
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome<{ user: UserRow; sessionId: string; refreshToken: string }>> => {
      const user = await this.users.findForLogin(manager, { email: input.email?.trim(), username: input.username });
      if (!user) {
        const loginHash = hashToken(loginName);
        if (await this.users.unknownLoginLocked(manager, loginHash)) return { error: locked };
        await verifySecret(input.password, await decoyHash());
        await this.users.recordUnknownLoginFailure(manager, loginHash, this.config.maxFailedLogins, this.config.lockoutMinutes);
        await recordSecurityEvent(manager, { userId: null, kind: 'login_failed', ...origin });
        return { error: invalid };
      }
      if (user.locked_until && new Date(user.locked_until) > new Date()) return { error: locked };
      if (!(await verifySecret(input.password, user.password_hash))) {
        const updated = await this.users.recordFailedLogin(manager, user.id, this.config.maxFailedLogins, this.config.lockoutMinutes);
        const nowLocked = updated.locked_until !== null && new Date(updated.locked_until) > new Date();
        await recordSecurityEvent(manager, { userId: user.id, kind: 'login_failed', ...origin });
        if (nowLocked) await recordSecurityEvent(manager, { userId: user.id, kind: 'account_locked', ...origin });
        return { error: invalid };
      }
      if (user.status === 'closed') {
        await recordSecurityEvent(manager, { userId: user.id, kind: 'login_failed', ...origin });
        return { error: invalid };
      }
      await this.users.recordSuccessfulLogin(manager, user.id);
      const sessionId = randomUUID();
      const refreshToken = newOpaqueToken();
      await this.sessions.insert(manager, {
        id: sessionId,
        userId: user.id,
        refreshTokenHash: hashToken(refreshToken),
        ...origin,
        expiresAt: this.refreshExpiry(),
      });
      await recordSecurityEvent(manager, { userId: user.id, kind: 'login_succeeded', sessionId, ...origin });
      return { user, sessionId, refreshToken };
    });
    this.messaging.published();
    if ('error' in outcome) throw outcome.error;
    return this.tokens(outcome.user, outcome.sessionId, outcome.refreshToken);
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
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome<{ user: UserRow; sessionId: string; refreshToken: string }>> => {
      const session = await this.sessions.findByRefreshHashForUpdate(manager, hash);
      if (!session) {
        const reusedFrom = await this.sessions.findRotated(manager, hash);
        if (reusedFrom) {
          const userId = await this.revokeReused(manager, reusedFrom);
          await recordSecurityEvent(manager, { userId, kind: 'refresh_token_reused', sessionId: reusedFrom, ip: input.ip, userAgent: input.userAgent });
        }
        return { error: invalid };
      }
      if (session.revoked_at || new Date(session.expires_at) <= new Date()) return { error: invalid };
      const user = await this.users.findForLogin(manager, { id: session.user_id });
      if (!user || user.status === 'closed') return { error: invalid };
      const refreshToken = newOpaqueToken();
      await this.sessions.rotate(manager, session, hashToken(refreshToken), this.refreshExpiry(), { ip: input.ip });
      return { user, sessionId: session.id, refreshToken };
    });
    this.messaging.published();
    if ('error' in outcome) throw outcome.error;
    return this.tokens(outcome.user, outcome.sessionId, outcome.refreshToken);
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
    return { userId: input.userId, sessionId: input.sessionId, roles: live.roles, status: live.status };
  }

  async me(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('NOT_FOUND', 'User not found');
    return toUserView(user);
  }

  private async revokeReused(manager: EntityManager, sessionId: string): Promise<string | null> {
    const rows = returningRows<{ user_id: string }>(await manager.query(
      `UPDATE identity.sessions SET revoked_at = coalesce(revoked_at, now()), revoked_reason = coalesce(revoked_reason, 'refresh_token_reused')
        WHERE id = $1 RETURNING user_id`,
      [sessionId],
    ));
    return rows[0]?.user_id ?? null;
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000);
  }

  private async tokens(user: UserRow, sessionId: string, refreshToken: string): Promise<LoginResult> {
    const expiresAt = new Date(Date.now() + this.config.accessTokenTtlSeconds * 1000);
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, roles: user.roles, sid: sessionId },
      { expiresIn: this.config.accessTokenTtlSeconds },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresAt: expiresAt.toISOString(), user: toUserView(user) };
  }
}
