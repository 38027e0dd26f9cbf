import { applyDecorators, CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { Actor } from '@tally/contracts';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { enforceVerdict } from './rate-limit.guard';
import { RateLimiter, RateLimitSubject } from './rate-limiter';

/** Whose account a password check is about: the login name in the body, the signed-in user, or none (per IP only). */
export type CredentialAccount = 'body' | 'actor' | 'none';

const CREDENTIAL_ACCOUNT = 'tally:credential-account';

/**
 * A route that makes identity check a password (or hash a new one): counted per account and per IP
 * in Redis before the command is even sent, so a flood of guesses is refused at the edge with 429
 * and never reaches identity's hashing pool. Use after JwtAuthGuard for 'actor' routes.
 */
export const CredentialRateLimited = (account: CredentialAccount) =>
  applyDecorators(SetMetadata(CREDENTIAL_ACCOUNT, account), UseGuards(CredentialRateLimitGuard));

@Injectable()
export class CredentialRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    const account = this.reflector.get<CredentialAccount>(CREDENTIAL_ACCOUNT, context.getHandler()) ?? 'none';
    const { windowMs, perAccount, perIp } = this.config.rateLimit.credentials;
    const subjects: RateLimitSubject[] = [{ scope: 'credentialIp', id: req.ip ?? 'unknown', limit: perIp }];
    const name = account === 'actor' ? req.user?.userId : account === 'body' ? loginName(req.body) : undefined;
    // By a digest: login names (emails) never reach Redis.
    if (name) subjects.push({ scope: 'credential', id: createHash('sha256').update(name).digest('hex').slice(0, 32), limit: perAccount });
    const verdict = await this.limiter.hit(subjects, windowMs);
    return enforceVerdict(verdict, context, { windowMs, onRedisError: this.config.rateLimit.onRedisError, what: 'password attempts' });
  }
}

/** The account a login or reset names, the way identity matches it (case and spaces do not matter). */
function loginName(body: unknown): string | undefined {
  const b = (body ?? {}) as { email?: unknown; username?: unknown };
  if (typeof b.email === 'string' && b.email.trim()) return `email:${b.email.trim().toLowerCase()}`;
  if (typeof b.username === 'string' && b.username.trim()) return `username:${b.username.trim().toLowerCase()}`;
  return undefined;
}
