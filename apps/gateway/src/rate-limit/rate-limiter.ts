import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { Counter } from 'prom-client';
import { metricsRegistry } from '@tally/observability';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';

/** Who a request is counted against. */
export interface RateLimitSubject {
  /** user, apiKey, ip: every /v1 request; credential, credentialIp: password checks (CredentialRateLimitGuard). */
  scope: 'user' | 'apiKey' | 'ip' | 'credential' | 'credentialIp';
  id: string;
  limit: number;
}

export type RateLimitVerdict =
  | { allowed: true }
  | { allowed: false; subject: RateLimitSubject; retryAfterMs: number }
  /** Redis could not be asked; the guard applies RATE_LIMIT_ON_REDIS_ERROR. */
  | { allowed: 'unknown' };

/**
 * A fixed window per subject, counted in Redis so every gateway replica shares one count. One Lua
 * script checks every subject first and counts the request only if none is over its limit (a refused
 * request costs nothing), so the check and the count are atomic across replicas.
 * KEYS: one counter per subject; ARGV[1]: window in ms; ARGV[2..]: the limits in KEYS' order.
 * Returns {0, 0} when allowed, else {index of the subject over its limit, ms until its window ends}.
 */
const HIT_SCRIPT = `
local window = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, window)
      ttl = window
    end
    return {i, ttl}
  end
end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, window) end
end
return {0, 0}
`;

export const rateLimited = new Counter({
  name: 'gateway_rate_limited_total',
  help: 'Requests refused with 429, by the limit they hit (user, apiKey, ip)',
  labelNames: ['scope'],
  registers: [metricsRegistry],
});

export const rateLimitRedisErrors = new Counter({
  name: 'gateway_rate_limit_redis_errors_total',
  help: 'Requests whose rate limit could not be checked because Redis failed (let through when RATE_LIMIT_ON_REDIS_ERROR=open)',
  registers: [metricsRegistry],
});

/** The client with HIT_SCRIPT defined as a command (EVALSHA, falling back to EVAL once per connection). */
interface RateLimitRedis extends Redis {
  tallyRateLimitHit(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<[number, number]>;
}

@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: RateLimitRedis;
  private lastWarning = 0;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.redis = new Redis(config.redisUrl, {
      // Never queue or retry a check while Redis is away: the request gets its answer now.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 500,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    }) as RateLimitRedis;
    this.redis.defineCommand('tallyRateLimitHit', { lua: HIT_SCRIPT });
    // ioredis reports connection errors as events; they are counted per request below.
    this.redis.on('error', () => undefined);
  }

  /** Counts one request against every subject (in one window, RATE_LIMIT_WINDOW_MS unless given). */
  async hit(subjects: RateLimitSubject[], windowMs = this.config.rateLimit.windowMs): Promise<RateLimitVerdict> {
    const active = subjects.filter((s) => s.limit > 0);
    if (active.length === 0) return { allowed: true };
    const { keyPrefix } = this.config.rateLimit;
    const keys = active.map((s) => `${keyPrefix}${s.scope}:${s.id}`);
    try {
      const [index, ttl] = await this.redis.tallyRateLimitHit(keys.length, ...keys, windowMs, ...active.map((s) => s.limit));
      if (index === 0) return { allowed: true };
      return { allowed: false, subject: active[index - 1], retryAfterMs: ttl };
    } catch (err) {
      rateLimitRedisErrors.inc();
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ msg: 'rate limit not checked: Redis failed', error: (err as Error).message, onRedisError: this.config.rateLimit.onRedisError });
      }
      return { allowed: 'unknown' };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
