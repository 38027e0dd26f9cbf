import { EnvReader, readBaseConfig, BaseConfig } from '@tally/bootstrap';

export interface RateLimitConfig {
  /** Fixed window length; every limit below counts requests per window. 0 as a limit turns that limit off. */
  windowMs: number;
  perUser: number;
  perApiKey: number;
  perIp: number;
  /** Prefix of the Redis keys, so several deployments (or test runs) can share one Redis. */
  keyPrefix: string;
  /** What to do while Redis is unreachable: let requests through (open) or answer 503 (closed). */
  onRedisError: 'open' | 'closed';
}

export interface GatewayConfig extends BaseConfig {
  jwtSecret: string;
  /** How long a command may wait for its reply before the client gets 503. */
  commandTimeoutMs: number;
  /** How long a money command waits for its final state before answering 202 pending. */
  settleWaitMs: number;
  /** Rate-limit counters, shared by every gateway replica. */
  redisUrl: string;
  rateLimit: RateLimitConfig;
  /** Origins allowed by CORS; empty turns CORS off (no Access-Control-* headers at all). */
  corsOrigins: string[];
  /** Largest JSON body accepted; a bigger one is 413. */
  bodyLimitKb: number;
  /** How long an Idempotency-Key is remembered (api-v1: at least 24 h). */
  idempotencyTtlHours: number;
  /** How long the gateway trusts identity's answer that a session or API key is live (0: ask on every request). */
  authCacheMs: number;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const reader = new EnvReader(env);
  const base = readBaseConfig(reader, 'gateway', 8080);
  const config: GatewayConfig = {
    ...base,
    jwtSecret: reader.secret('JWT_SECRET', 'tally-dev-only-jwt-secret-change-me-0123456789', 32),
    commandTimeoutMs: reader.int('COMMAND_TIMEOUT_MS', 5000, 100, 60000),
    settleWaitMs: reader.int('SETTLE_WAIT_MS', 3000, 0, 30000),
    redisUrl: redisUrl(reader),
    rateLimit: {
      windowMs: reader.int('RATE_LIMIT_WINDOW_MS', 60000, 1000, 3600000),
      perUser: reader.int('RATE_LIMIT_PER_USER', 300, 0, 1000000),
      perApiKey: reader.int('RATE_LIMIT_PER_API_KEY', 600, 0, 1000000),
      perIp: reader.int('RATE_LIMIT_PER_IP', 1200, 0, 1000000),
      keyPrefix: reader.string('RATE_LIMIT_KEY_PREFIX', 'tally:rl:'),
      onRedisError: reader.oneOf('RATE_LIMIT_ON_REDIS_ERROR', ['open', 'closed'] as const, 'open'),
    },
    corsOrigins: corsOrigins(reader),
    bodyLimitKb: reader.int('BODY_LIMIT_KB', 100, 1, 10240),
    idempotencyTtlHours: reader.int('IDEMPOTENCY_KEY_TTL_HOURS', 24, 24, 24 * 90),
    authCacheMs: reader.int('AUTH_CACHE_MS', 5000, 0, 60000),
  };
  reader.done();
  return config;
}

function redisUrl(reader: EnvReader): string {
  const raw = reader.string('REDIS_URL', 'redis://127.0.0.1:6379/0');
  try {
    const url = new URL(raw);
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') reader.problems.push('REDIS_URL must start with redis:// or rediss://');
  } catch {
    reader.problems.push('REDIS_URL is not a URL (redis://host:port/db)');
  }
  return raw;
}

/** CORS_ORIGINS: comma-separated origins (scheme://host[:port]); unset means no CORS. */
function corsOrigins(reader: EnvReader): string[] {
  const origins = reader
    .string('CORS_ORIGINS', '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[\w.-]+(:\d{1,5})?$/.test(origin)) reader.problems.push(`CORS_ORIGINS entry "${origin}" is not scheme://host[:port]`);
  }
  return origins;
}
