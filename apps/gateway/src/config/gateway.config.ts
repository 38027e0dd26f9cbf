import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { DEV_ACTOR_ASSERTION_PRIVATE_KEY, ed25519PublicOf } from '@tally/auth';
import { BaseConfig, EnvReader, readBaseConfig, SettingDocs, urlOf } from '@tally/bootstrap';

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
  /**
   * Password checks (login, registration, resets, password change, re-authentication), counted
   * before identity runs any hash: per account name and per IP, in a window of their own.
   */
  credentials: { windowMs: number; perAccount: number; perIp: number };
}

export interface GatewayConfig extends BaseConfig {
  jwtSecret: string;
  /** Signs every command's actor assertion (Ed25519, raw base64url); the services hold its public key. */
  actorAssertionPrivateKey: string;
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
  /** Keys the request fingerprints stored with Idempotency-Keys (HMAC-SHA-256). */
  idempotencyHmacKey: string;
  /** How long the gateway trusts identity's answer that a session or API key is live (0: ask on every request). */
  authCacheMs: number;
  /** Express's `trust proxy`: the addresses (CIDRs) of the ingress whose X-Forwarded-For is believed. */
  trustProxy: string[];
  /** The built web apps (dist/web: admin/ served at /admin, app/ at /app). */
  webRoot: string;
  /** Whether the gateway serves its API reference (/docs, /docs-json, /docs-yaml, /docs/events). */
  apiDocs: boolean;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** What each variable is for (docs/configuration.md is generated from this and the loader). */
export const GATEWAY_SETTINGS: SettingDocs = {
  JWT_SECRET: "verifies access tokens (HS256); the same value as identity's",
  COMMAND_TIMEOUT_MS: 'a service silent for this long is `503 SERVICE_UNAVAILABLE`',
  SETTLE_WAIT_MS: 'how long a debit may wait for its final state; still pending after it, the answer is 202',
  REDIS_URL: 'rate-limit counters, shared by every replica',
  RATE_LIMIT_WINDOW_MS: 'the fixed window the limits count requests in',
  RATE_LIMIT_PER_USER: 'requests to `/v1/*` per window per user (valid bearer token); 0 turns it off',
  RATE_LIMIT_PER_API_KEY: 'requests per window per `X-API-Key`; 0 turns it off',
  RATE_LIMIT_PER_IP: 'requests per window per client IP; 0 turns it off',
  RATE_LIMIT_KEY_PREFIX: 'prefix of the Redis keys, so several deployments (or test runs) can share one Redis',
  RATE_LIMIT_ON_REDIS_ERROR:
    'with Redis unreachable, `open` lets requests through (a warning at most every 10 s, metric `gateway_rate_limit_redis_errors_total`), `closed` answers 503',
  CORS_ORIGINS: 'comma-separated origins (`https://app.example.com`) allowed to call the API from a browser; unset: CORS off',
  BODY_LIMIT_KB: 'the largest JSON body; a bigger one is `413 PAYLOAD_TOO_LARGE`',
  IDEMPOTENCY_KEY_TTL_HOURS: "how long an Idempotency-Key's answer is kept",
  IDEMPOTENCY_HMAC_KEY:
    'keys the request fingerprints stored beside Idempotency-Keys (HMAC-SHA-256 over method, path and the body without PINs, passwords and codes); changing it makes keys still within their TTL answer 409 on a retry',
  AUTH_CACHE_MS: "how long identity's answer that a session or API key is live is trusted (0: ask on every request)",
  CREDENTIAL_RATE_LIMIT_WINDOW_MS: 'the window of the password-attempt limits (login, registration, resets, password change, re-authentication)',
  CREDENTIAL_RATE_LIMIT_PER_ACCOUNT:
    'password attempts per account name (or signed-in user) per window, counted before identity hashes anything; 0 turns it off',
  CREDENTIAL_RATE_LIMIT_PER_IP: 'password attempts per client IP per window; 0 turns it off',
  ACTOR_ASSERTION_PRIVATE_KEY:
    "the gateway's Ed25519 private key (raw 32 bytes, base64url) that signs every command's actor assertion; its public key goes in every service's ACTOR_ASSERTION_PUBLIC_KEYS. Required in production, and not the repository's dev key",
  TRUST_PROXY:
    "comma-separated addresses or CIDRs of the proxies in front of the gateway (the ingress) whose `X-Forwarded-For` decides the client IP (rate limits, audit log), or `loopback`, `linklocal`, `uniquelocal`; any other sender's header is ignored. Behind a Kubernetes ingress set the pod CIDR of the ingress controller, or every client shares one rate-limit bucket",
  API_DOCS:
    '`on`: the API reference is served (Swagger UI at `/docs`, the OpenAPI document at `/docs-json` and `/docs-yaml`, the event catalogue at `/docs/events`); `off`: those paths answer 404 (the same documents are in docs/ and in every release)',
  WEB_ROOT: 'where `npm run build` put the web apps: `admin/` is served at `/admin`, `app/` at `/app`',
};

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const reader = new EnvReader(env);
  const base = readBaseConfig(reader, 'gateway', 8080);
  const config: GatewayConfig = {
    ...base,
    jwtSecret: reader.secret('JWT_SECRET', 'tally-dev-only-jwt-secret-change-me-0123456789', 32),
    actorAssertionPrivateKey: reader.secret('ACTOR_ASSERTION_PRIVATE_KEY', DEV_ACTOR_ASSERTION_PRIVATE_KEY, 43),
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
      credentials: {
        windowMs: reader.int('CREDENTIAL_RATE_LIMIT_WINDOW_MS', 900_000, 1000, 86_400_000),
        // Above the lockout (5 misses) so a user can still lock and be told; far below what a guesser needs.
        perAccount: reader.int('CREDENTIAL_RATE_LIMIT_PER_ACCOUNT', 10, 0, 1_000_000),
        perIp: reader.int('CREDENTIAL_RATE_LIMIT_PER_IP', 200, 0, 1_000_000),
      },
    },
    corsOrigins: corsOrigins(reader),
    bodyLimitKb: reader.int('BODY_LIMIT_KB', 100, 1, 10240),
    idempotencyTtlHours: reader.int('IDEMPOTENCY_KEY_TTL_HOURS', 24, 24, 24 * 90),
    idempotencyHmacKey: reader.secret('IDEMPOTENCY_HMAC_KEY', 'tally-dev-only-idempotency-hmac-key-0123456789', 32),
    authCacheMs: reader.int('AUTH_CACHE_MS', 5000, 0, 60000),
    trustProxy: trustProxy(reader),
    apiDocs: reader.oneOf('API_DOCS', ['on', 'off'] as const, 'on') === 'on',
    webRoot: reader.parsed(
      'WEB_ROOT',
      resolve(__dirname, '..', '..', '..', '..', 'web'),
      'an absolute path',
      (raw) => {
        if (!isAbsolute(raw)) throw new Error('it must be absolute');
        return raw;
      },
      { shown: 'dist/web beside the compiled services' },
    ),
  };
  try {
    // Its public half must be one the services accept (this gateway reads the same ACTOR_ASSERTION_PUBLIC_KEYS).
    if (!config.actorAssertionPublicKeys.includes(ed25519PublicOf(config.actorAssertionPrivateKey))) {
      reader.problems.push('ACTOR_ASSERTION_PRIVATE_KEY does not match any of ACTOR_ASSERTION_PUBLIC_KEYS: the services would refuse every command');
    }
  } catch {
    reader.problems.push('ACTOR_ASSERTION_PRIVATE_KEY must be a raw Ed25519 private key in base64url (43 characters)');
  }
  reader.done();
  return config;
}

function redisUrl(reader: EnvReader): string {
  const parse = (raw: string) => urlOf(raw, ['redis', 'rediss'], 'redis://host:port/db') && raw;
  return reader.parsed('REDIS_URL', 'redis://127.0.0.1:6379/0', 'a redis:// or rediss:// URL', parse, { echo: false });
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: Express's named ranges, or IPs / CIDRs (10.0.0.0/8, fd00::/8). */
function trustProxy(reader: EnvReader): string[] {
  return reader.list('TRUST_PROXY', 'loopback', 'comma-separated IPs or CIDRs, or loopback, linklocal, uniquelocal', (item) => {
    if (PROXY_NAMES.includes(item)) return item;
    const [address, prefix, ...rest] = item.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    if (family === 0 || rest.length > 0 || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= max))) {
      throw new Error('is not an IP address, a CIDR or loopback/linklocal/uniquelocal');
    }
    return item;
  });
}

/** CORS_ORIGINS: comma-separated origins (scheme://host[:port]); unset means no CORS. */
function corsOrigins(reader: EnvReader): string[] {
  return reader.list('CORS_ORIGINS', '', 'comma-separated scheme://host[:port]', (origin) => {
    if (!/^https?:\/\/[\w.-]+(:\d{1,5})?$/.test(origin)) throw new Error('is not scheme://host[:port]');
    return origin;
  });
}
