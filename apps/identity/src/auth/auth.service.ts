import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { decoyHash, hashSecret, verifySecret } from '@tally/auth';
import { DomainError, LoginPayload, LoginResult, RegisterPayload, UserRegisteredV1, UserView, uuidv7 } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { toUserView } from '../users/user-view';
import { UsersRepository } from '../users/users.repository';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
const USERNAME = /^[a-zA-Z0-9_.-]{3,32}$/;

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly jwt: JwtService,
    private readonly messaging: Messaging,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async register(input: RegisterPayload): Promise<UserView> {
    const email = String(input.email ?? '').trim();
    const problems: Record<string, string> = {};
    if (!EMAIL.test(email)) problems.email = 'must be a valid email address';
    if (typeof input.password !== 'string' || input.password.length < 10 || input.password.length > 128) {
      problems.password = 'must be 10 to 128 characters';
    } else if (!/[a-zA-Z]/.test(input.password) || !/\d/.test(input.password)) {
      problems.password = 'must contain letters and digits';
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

  async login(input: LoginPayload): Promise<LoginResult> {
    if (typeof input.password !== 'string' || (!input.email && !input.username)) {
      throw new DomainError('VALIDATION_FAILED', 'email or username, and password, are required');
    }
    const invalid = new DomainError('UNAUTHENTICATED', 'Invalid credentials');
    const outcome = await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findForLogin(manager, { email: input.email, username: input.username });
      if (!user) {
        await verifySecret(input.password, await decoyHash());
        return { error: invalid };
      }
      if (user.locked_until && new Date(user.locked_until) > new Date()) {
        return { error: new DomainError('ACCOUNT_LOCKED', 'Too many failed logins; try again later') };
      }
      if (!(await verifySecret(input.password, user.password_hash))) {
        const updated = await this.users.recordFailedLogin(manager, user.id, this.config.maxFailedLogins, this.config.lockoutMinutes);
        const locked = updated.locked_until !== null && new Date(updated.locked_until) > new Date();
        await this.users.recordSecurityEvent(manager, {
          userId: user.id,
          kind: locked ? 'account_locked' : 'login_failed',
          ip: input.ip,
          userAgent: input.userAgent,
        });
        return { error: invalid };
      }
      if (user.status === 'closed') return { error: invalid };
      await this.users.recordSuccessfulLogin(manager, user.id);
      await this.users.recordSecurityEvent(manager, { userId: user.id, kind: 'login_succeeded', ip: input.ip, userAgent: input.userAgent });
      const sessionId = randomUUID();
      const refreshToken = randomBytes(32).toString('base64url');
      await this.users.insertSession(manager, {
        id: sessionId,
        userId: user.id,
        // A refresh token is random and long, so a fast hash is enough to store it safely.
        refreshTokenHash: createHash('sha256').update(refreshToken).digest('hex'),
        userAgent: input.userAgent,
        ip: input.ip,
        expiresAt: new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000),
      });
      return { user, sessionId, refreshToken };
    });
    if ('error' in outcome) throw outcome.error;
    const expiresAt = new Date(Date.now() + this.config.accessTokenTtlSeconds * 1000);
    const accessToken = await this.jwt.signAsync(
      { sub: outcome.user.id, roles: outcome.user.roles, sid: outcome.sessionId },
      { expiresIn: this.config.accessTokenTtlSeconds },
    );
    return {
      accessToken,
      refreshToken: outcome.refreshToken,
      tokenType: 'Bearer',
      expiresAt: expiresAt.toISOString(),
      user: toUserView(outcome.user),
    };
  }

  async me(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('NOT_FOUND', 'User not found');
    return toUserView(user);
  }
}
