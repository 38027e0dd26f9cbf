import { loadGatewayConfig } from './gateway.config';

describe('loadGatewayConfig', () => {
  it('defaults: Redis on localhost, fail-open limits, CORS off, 100 KB bodies, keys kept 24 h', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379/0',
      rateLimit: { windowMs: 60000, perUser: 300, perApiKey: 600, perIp: 1200, keyPrefix: 'tally:rl:', onRedisError: 'open' },
      corsOrigins: [],
      bodyLimitKb: 100,
      idempotencyTtlHours: 24,
    });
  });

  it('reads CORS_ORIGINS as a list and the limits as numbers', () => {
    const config = loadGatewayConfig({
      CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      RATE_LIMIT_PER_USER: '0',
      RATE_LIMIT_ON_REDIS_ERROR: 'closed',
    });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
    expect(config.rateLimit).toMatchObject({ perUser: 0, onRedisError: 'closed' });
  });

  it('names every bad variable: a CORS origin with a path, a non-Redis URL, keys kept under 24 h, a zero body limit', () => {
    let message = '';
    try {
      loadGatewayConfig({ CORS_ORIGINS: 'https://app.example.com/x', REDIS_URL: 'http://cache:6379', IDEMPOTENCY_KEY_TTL_HOURS: '1', BODY_LIMIT_KB: '0' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('CORS_ORIGINS entry "https://app.example.com/x"');
    expect(message).toContain('REDIS_URL must be a redis:// or rediss:// URL: it must start with redis://');
    expect(message).toContain('BODY_LIMIT_KB');
    expect(message).toContain('IDEMPOTENCY_KEY_TTL_HOURS must be a whole number from 24');
  });

  it('in production: JWT_SECRET and IDEMPOTENCY_HMAC_KEY required and never a value from the repository, each named', () => {
    // A key pair made for this spec (not the repository's dev pair, which production refuses).
    const assertionKeys = {
      ACTOR_ASSERTION_PRIVATE_KEY: 'rzKx6hvUBjQgnv-j0oKT9lD_eiljUFMWiUVLi72JQeQ',
      ACTOR_ASSERTION_PUBLIC_KEYS: 'z3b05cvILEbXJ217VxbGzn85zo5Zy1tQSb-FBjJErcw',
    };
    const good = {
      NODE_ENV: 'production',
      JWT_SECRET: 'j'.repeat(40),
      IDEMPOTENCY_HMAC_KEY: 'i'.repeat(40),
      KAFKA_USERNAME: 'tally-gateway',
      KAFKA_PASSWORD: 'p'.repeat(24),
      ...assertionKeys,
    };
    expect(() => loadGatewayConfig(good)).not.toThrow();
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required[\s\S]*IDEMPOTENCY_HMAC_KEY is required/);
    expect(() => loadGatewayConfig({ ...good, ACTOR_ASSERTION_PUBLIC_KEYS: 'C'.repeat(43) })).toThrow(
      'ACTOR_ASSERTION_PRIVATE_KEY does not match any of ACTOR_ASSERTION_PUBLIC_KEYS',
    );
    for (const [name, value] of [
      ['JWT_SECRET', 'tally-dev-only-jwt-secret-change-me-0123456789'],
      ['JWT_SECRET', 'tally-compose-dev-only-jwt-secret-change-me-0123456789'],
      ['IDEMPOTENCY_HMAC_KEY', 'tally-dev-only-idempotency-hmac-key-0123456789'],
    ]) {
      expect(() => loadGatewayConfig({ ...good, [name]: value })).toThrow(`${name} must not be a development value from the repository`);
    }
    // Outside production the dev values are fine (npm start, the tests).
    expect(loadGatewayConfig({ JWT_SECRET: 'tally-compose-dev-only-jwt-secret-change-me-0123456789' }).idempotencyHmacKey.length).toBeGreaterThanOrEqual(32);
  });

  it('TRUST_PROXY: loopback by default; IPs, CIDRs and the named ranges; anything else named', () => {
    expect(loadGatewayConfig({}).trustProxy).toEqual(['loopback']);
    expect(loadGatewayConfig({ TRUST_PROXY: '10.42.0.0/16, 192.168.1.7, fd00::/8, uniquelocal' }).trustProxy).toEqual([
      '10.42.0.0/16',
      '192.168.1.7',
      'fd00::/8',
      'uniquelocal',
    ]);
    for (const bad of ['10.0.0.0/33', 'ingress.local', '10.0.0.0/8/1', '*']) {
      expect(() => loadGatewayConfig({ TRUST_PROXY: bad })).toThrow(`TRUST_PROXY entry "${bad}"`);
    }
  });
});
