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
    const config = loadGatewayConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:3000', RATE_LIMIT_PER_USER: '0', RATE_LIMIT_ON_REDIS_ERROR: 'closed' });
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
    expect(message).toContain('REDIS_URL must start with redis://');
    expect(message).toContain('BODY_LIMIT_KB');
    expect(message).toContain('IDEMPOTENCY_KEY_TTL_HOURS must be a whole number from 24');
  });
});
