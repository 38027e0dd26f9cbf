import { randomUUID } from 'node:crypto';
import { ApiClient, ApiResponse, LocalStack, waitFor } from '@tally/testing';
import { securityEvents } from './emails';
import { signUp, signUpUser } from './sign-up';
import { GATEWAY_URL, STACK_ENV, TEST_DATABASE_URL, TEST_KAFKA, TEST_PORTS } from '../stack-env';

const LIMITS = {
  RATE_LIMIT_PER_USER: '6',
  RATE_LIMIT_PER_API_KEY: '4',
  RATE_LIMIT_PER_IP: '30',
  RATE_LIMIT_WINDOW_MS: '60000',
  CREDENTIAL_RATE_LIMIT_PER_ACCOUNT: '3',
  CREDENTIAL_RATE_LIMIT_PER_IP: '8',
};

/**
 * Two more gateway replicas on ports of their own, sharing the stack's Redis with low limits (and a
 * key prefix of their own, so the stack's gateway is not limited), plus one whose Redis is
 * unreachable. Requests spread over the two replicas are counted once: both answer 429 together.
 */
describe('gateway replicas: rate limits shared through Redis, CORS, logs', () => {
  const main = new ApiClient(GATEWAY_URL);
  const prefix = `tally-test-rl-${randomUUID().slice(0, 8)}:`;
  /** Every log line of the replicas, to check what they write. */
  const logLines: string[] = [];
  const replica = (port: number, env: Record<string, string>) =>
    new LocalStack({
      databaseUrl: TEST_DATABASE_URL,
      kafkaBrokers: TEST_KAFKA.brokers,
      ports: { gateway: port },
      env: { ...STACK_ENV, ...LIMITS, LOG_LEVEL: 'log', ...env },
      onLine: (_service, line) => logLines.push(line),
    });
  const ports = { a: TEST_PORTS.gateway + 10, b: TEST_PORTS.gateway + 11, noRedis: TEST_PORTS.gateway + 12, aMetrics: TEST_PORTS.gateway + 14 };
  // Replica A runs as behind a public ingress: no API reference, metrics only on a port of their own.
  const replicaA = replica(ports.a, { RATE_LIMIT_KEY_PREFIX: prefix, API_DOCS: 'off', METRICS_PORT: String(ports.aMetrics) });
  // Replica B also allows one browser origin (CORS is off on the others).
  const replicaB = replica(ports.b, { RATE_LIMIT_KEY_PREFIX: prefix, CORS_ORIGINS: 'https://app.example.com' });
  // Nothing listens on port 1: this replica cannot reach Redis at all.
  const withoutRedis = replica(ports.noRedis, { RATE_LIMIT_KEY_PREFIX: prefix, REDIS_URL: 'redis://127.0.0.1:1/0' });
  const replicas = [replicaA, replicaB, withoutRedis];
  let ann: ApiClient;
  let bob: ApiClient;
  const on = (port: number, token?: string) => (token ? new ApiClient(`http://127.0.0.1:${port}`, token) : new ApiClient(`http://127.0.0.1:${port}`));

  beforeAll(async () => {
    // Sign up first: replicas joining the reply consumer group make the stack's gateway rebalance.
    ann = await signUp(main, 'limited');
    bob = await signUp(main, 'other');
    for (const r of replicas) r.startService('gateway');
    await Promise.all(replicas.map((r) => r.waitReady('gateway', 90_000)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stopService('gateway')));
    // Leave the stack's gateway serving commands again for the specs after this one.
    await waitFor(
      async () => ((await main.get('/v1/me').catch(() => undefined))?.status === 401 && (await ann.get('/v1/wallets')).status === 200 ? true : undefined),
      { timeoutMs: 90_000, intervalMs: 1_000, what: 'the stack gateway to serve commands again' },
    );
  }, 120_000);

  function expectRateLimited(res: ApiResponse, scope: string): void {
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ error: 'RATE_LIMITED', details: { scope }, path: '/v1/currencies', requestId: expect.any(String) });
    expect(res.headers.get('x-request-id')).toBe(res.body.requestId);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  }

  it('API_DOCS=off and METRICS_PORT: the API port serves neither the reference nor the metrics; the metrics port serves only them', async () => {
    for (const path of ['/docs', '/docs-json', '/docs-yaml', '/docs/events', '/metrics']) {
      const res = await on(ports.a).get(path);
      expect({ path, status: res.status, error: res.body?.error }).toEqual({ path, status: 404, error: 'NOT_FOUND' });
    }
    const metrics = await fetch(`http://127.0.0.1:${ports.aMetrics}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    expect((await fetch(`http://127.0.0.1:${ports.aMetrics}/v1/currencies`)).status).toBe(404);
    // The stack's own gateway (defaults) still serves both on its API port.
    expect((await main.get('/docs-json')).status).toBe(200);
    expect((await fetch(`${GATEWAY_URL}/metrics`)).status).toBe(200);
  });

  it('counts a user across both replicas: the 7th request is 429 on either, another user goes on', async () => {
    const a = on(ports.a, ann.token);
    const b = on(ports.b, ann.token);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await (i % 2 ? b : a).get('/v1/currencies')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expectRateLimited(await a.get('/v1/currencies'), 'user');
    expectRateLimited(await b.get('/v1/currencies'), 'user');
    // Bob is counted apart from Ann.
    expect((await on(ports.b, bob.token).get('/v1/currencies')).status).toBe(200);
    expect((await on(ports.a, bob.token).get('/v1/currencies')).status).toBe(200);
  });

  it('counts password attempts per account across both replicas before identity checks one: the 4th is 429', async () => {
    const carol = await signUpUser(main, 'guessed');
    const login = (port: number, password: string, email = carol.email) => on(port).post('/v1/auth/login', { email, password }, null);
    const statuses = [await login(ports.a, 'wrong guess 1'), await login(ports.b, 'wrong guess 2'), await login(ports.a, 'wrong guess 3')].map((r) => r.status);
    expect(statuses).toEqual([401, 401, 401]);
    // The same name in another case is the same account.
    const limited = await login(ports.b, carol.password, carol.email.toUpperCase());
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'RATE_LIMITED', details: { scope: 'credential', limit: 3, windowSeconds: 900 } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Identity saw three attempts, not four: the fourth was refused before any hash.
    expect((await securityEvents(carol.userId)).filter((e) => e.kind === 'login_failed')).toHaveLength(3);
    // Another account from the same address still goes through (until the per-IP limit).
    const dan = await signUpUser(main, 'notguessed');
    expect((await login(ports.a, dan.password, dan.email)).status).toBe(200);
  });

  it('counts an API key across both replicas', async () => {
    const key = `tk_test_${randomUUID()}`;
    const get = (port: number) => on(port).request<any>('GET', '/v1/currencies', undefined, { 'X-API-Key': key });
    const statuses = [await get(ports.a), await get(ports.b), await get(ports.a), await get(ports.b)].map((r) => r.status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expectRateLimited(await get(ports.b), 'apiKey');
    expectRateLimited(await get(ports.a), 'apiKey');
  });

  it('counts an IP address across both replicas: the two answer 429 together once the shared count is spent', async () => {
    // 8 + 4 requests of the user and API-key tests and the 5 password attempts above were let through
    // from this IP by the per-request limits (refused ones are not counted).
    let allowed = 0;
    let first429: ApiResponse | undefined;
    for (let i = 0; i < 40 && !first429; i++) {
      const res = await on(i % 2 ? ports.b : ports.a).get('/v1/currencies');
      if (res.status === 200) allowed++;
      else first429 = res;
    }
    expect(allowed).toBe(30 - 8 - 4 - 5);
    expectRateLimited(first429 as ApiResponse, 'ip');
    expectRateLimited(await on(ports.a).get('/v1/currencies'), 'ip');
    expectRateLimited(await on(ports.b).get('/v1/currencies'), 'ip');
    // Not limited: health and metrics, and the stack's own gateway (its own key prefix and limits).
    expect((await fetch(`http://127.0.0.1:${ports.a}/health/live`)).status).toBe(200);
    expect((await main.get('/v1/currencies')).status).toBe(200);
  });

  it('without Redis, fails open: requests go through past the limits, counted in a metric and logged with the request id', async () => {
    const client = on(ports.noRedis, ann.token);
    const requestId = `fail-open-${randomUUID()}`;
    const first = await client.request<any>('GET', '/v1/currencies', undefined, { 'X-Request-Id': requestId });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-request-id')).toBe(requestId);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await client.get('/v1/currencies')).status);
    expect(statuses).toEqual(Array(9).fill(200));
    // The warning was written while handling the first request: it carries that request's id.
    const warning = await waitFor(async () => logLines.map(parse).find((l) => l?.msg === 'rate limit not checked: Redis failed'), { what: 'the warning' });
    expect(warning).toMatchObject({ level: 'warn', requestId, onRedisError: 'open' });
    const metrics = await (await fetch(`http://127.0.0.1:${ports.noRedis}/metrics`)).text();
    const errors = Number(/^gateway_rate_limit_redis_errors_total\{[^}]*\} (\d+)/m.exec(metrics)?.[1]);
    expect(errors).toBeGreaterThanOrEqual(10);
  });

  it('CORS_ORIGINS: replica B answers preflights for its origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`http://127.0.0.1:${ports.b}/v1/transfers`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,idempotency-key,content-type' },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await fetch(`http://127.0.0.1:${ports.a}/v1/currencies`, { headers: { Origin: 'https://app.example.com' } })).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('logs one access line per request with its request id, and never a whole e-mail address', async () => {
    const requestId = `access-${randomUUID()}`;
    const email = `ann.lee.${randomUUID().slice(0, 6)}@example.com`;
    const res = await on(ports.a).request<any>('GET', `/v1/users/${email}?phone=0123456789`, undefined, { 'X-Request-Id': requestId });
    expect(res.status).toBe(404);
    expect(res.body.requestId).toBe(requestId);
    const line = await waitFor(async () => logLines.map(parse).find((l) => l?.requestId === requestId && l?.msg === 'request'), { what: 'the access line' });
    expect(line).toMatchObject({ context: 'Access', method: 'GET', status: 404, path: expect.stringContaining('a***@e***.com') });
    expect(logLines.filter((l) => l.includes(email) || l.includes('0123456789'))).toEqual([]);
  });
});

function parse(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
