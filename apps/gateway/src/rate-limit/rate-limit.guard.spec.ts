import type { ExecutionContext } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@tally/contracts';
import { loadGatewayConfig } from '../config/gateway.config';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiter, RateLimitSubject, RateLimitVerdict } from './rate-limiter';

/** The guard's decisions around a limiter answer (the counting itself is Redis's, proven by rate-limit.e2e-spec). */
describe('RateLimitGuard', () => {
  const config = loadGatewayConfig({});
  const token = new JwtService({ secret: config.jwtSecret }).sign({ sub: 'user-1', roles: ['user'] }, { algorithm: 'HS256', issuer: 'tally' });

  function run(verdict: RateLimitVerdict, request: { path: string; headers?: Record<string, string> }, onRedisError: 'open' | 'closed' = 'open') {
    const seen: RateLimitSubject[][] = [];
    const limiter = { hit: async (subjects: RateLimitSubject[]) => (seen.push(subjects), verdict) } as unknown as RateLimiter;
    const guard = new RateLimitGuard(limiter, { ...config, rateLimit: { ...config.rateLimit, onRedisError } });
    const headers: Record<string, string> = {};
    const req = { path: request.path, ip: '10.0.0.7', header: (name: string) => request.headers?.[name.toLowerCase()] };
    const res = { setHeader: (name: string, value: string) => (headers[name] = value) };
    const context = { getType: () => 'http', switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ExecutionContext;
    return { result: guard.canActivate(context), seen, headers };
  }

  it('counts the IP, the user of a valid token and a digest of the API key', async () => {
    const { result, seen } = run({ allowed: true }, { path: '/v1/wallets', headers: { authorization: `Bearer ${token}`, 'x-api-key': 'tk_secret_1' } });
    await expect(result).resolves.toBe(true);
    expect(seen[0].map((s) => [s.scope, s.limit])).toEqual([
      ['ip', 1200],
      ['user', 300],
      ['apiKey', 600],
    ]);
    expect(seen[0][1].id).toBe('user-1');
    expect(seen[0][2].id).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(seen)).not.toContain('tk_secret_1');
  });

  it('counts a forged token by IP only', async () => {
    const { seen } = run({ allowed: true }, { path: '/v1/wallets', headers: { authorization: `Bearer ${token.slice(0, -3)}abc` } });
    expect(seen[0].map((s) => s.scope)).toEqual(['ip']);
  });

  it('leaves health, metrics and docs alone', async () => {
    const { result, seen } = run({ allowed: true }, { path: '/health/ready' });
    await expect(result).resolves.toBe(true);
    expect(seen).toEqual([]);
  });

  it('refuses with RATE_LIMITED, Retry-After in whole seconds (at least 1) and the scope', async () => {
    const subject: RateLimitSubject = { scope: 'user', id: 'user-1', limit: 300 };
    const { result, headers } = run({ allowed: false, subject, retryAfterMs: 1200 }, { path: '/v1/wallets' });
    await expect(result).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { scope: 'user', limit: 300, retryAfterSeconds: 2 } });
    expect(headers['Retry-After']).toBe('2');
    const soon = run({ allowed: false, subject, retryAfterMs: 5 }, { path: '/v1/wallets' });
    await expect(soon.result).rejects.toBeInstanceOf(DomainError);
    expect(soon.headers['Retry-After']).toBe('1');
  });

  it('with Redis unreachable: lets the request through when open, answers SERVICE_UNAVAILABLE when closed', async () => {
    await expect(run({ allowed: 'unknown' }, { path: '/v1/wallets' }, 'open').result).resolves.toBe(true);
    await expect(run({ allowed: 'unknown' }, { path: '/v1/wallets' }, 'closed').result).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
