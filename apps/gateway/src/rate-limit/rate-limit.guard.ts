import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { DomainError } from '@tally/contracts';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { RateLimiter, RateLimitSubject, rateLimited, RateLimitVerdict } from './rate-limiter';

/**
 * Global guard (it runs before every route's own guards): counts each /v1 request against its IP,
 * its user (a valid bearer token) and its API key, and answers 429 RATE_LIMITED with Retry-After
 * when one of them is over its limit. Health, metrics and /docs are not limited.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly jwt: JwtService;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.jwt = new JwtService({ secret: config.jwtSecret, verifyOptions: { algorithms: ['HS256'], issuer: 'tally' } });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.path.startsWith('/v1/')) return true;
    const verdict = await this.limiter.hit(this.subjects(req));
    return enforceVerdict(verdict, context, { windowMs: this.config.rateLimit.windowMs, onRedisError: this.config.rateLimit.onRedisError, what: 'requests' });
  }

  private subjects(req: Request): RateLimitSubject[] {
    const { perIp, perUser, perApiKey } = this.config.rateLimit;
    const subjects: RateLimitSubject[] = [{ scope: 'ip', id: req.ip ?? 'unknown', limit: perIp }];
    const userId = this.bearerUserId(req);
    if (userId) subjects.push({ scope: 'user', id: userId, limit: perUser });
    const apiKey = req.header('x-api-key');
    // Counted by a digest of the key: the key itself never reaches Redis.
    if (apiKey) subjects.push({ scope: 'apiKey', id: createHash('sha256').update(apiKey).digest('hex').slice(0, 32), limit: perApiKey });
    return subjects;
  }

  /** The user of a valid bearer token; an invalid one is left to the route's auth guard (401), counted by IP only. */
  private bearerUserId(req: Request): string | undefined {
    const header = req.header('authorization');
    if (!header?.startsWith('Bearer ')) return undefined;
    try {
      const claims = this.jwt.verify<{ sub?: unknown }>(header.slice(7));
      return typeof claims.sub === 'string' ? claims.sub : undefined;
    } catch {
      return undefined;
    }
  }
}

const SCOPE_NAMES: Record<RateLimitSubject['scope'], string> = {
  apiKey: 'API key',
  ip: 'IP address',
  user: 'user',
  credential: 'account',
  credentialIp: 'IP address',
};

/** true, or the refusal: 429 RATE_LIMITED with Retry-After in whole seconds (at least 1), or 503 while Redis is away and limits fail closed. */
export function enforceVerdict(
  verdict: RateLimitVerdict,
  context: ExecutionContext,
  options: { windowMs: number; onRedisError: 'open' | 'closed'; what: string },
): true {
  if (verdict.allowed === true) return true;
  if (verdict.allowed === 'unknown') {
    if (options.onRedisError === 'open') return true;
    throw new DomainError('SERVICE_UNAVAILABLE', 'Rate limits cannot be checked right now; retry shortly');
  }
  const retryAfterSeconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  rateLimited.inc({ scope: verdict.subject.scope });
  context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfterSeconds));
  throw new DomainError('RATE_LIMITED', `Too many ${options.what} for this ${SCOPE_NAMES[verdict.subject.scope]}; retry in ${retryAfterSeconds} s`, {
    scope: verdict.subject.scope,
    limit: verdict.subject.limit,
    windowSeconds: options.windowMs / 1000,
    retryAfterSeconds,
  });
}
