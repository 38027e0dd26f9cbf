import { randomUUID } from 'node:crypto';
import { ApiClient } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/** The gateway's HTTP edge: security headers, CORS off by default, the body limit, request ids. */
describe("the gateway's HTTP edge", () => {
  const api = new ApiClient(GATEWAY_URL);

  it('sends security headers and no X-Powered-By', async () => {
    const res = await fetch(`${GATEWAY_URL}/v1/currencies`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('has CORS off unless CORS_ORIGINS names origins: no Access-Control-* headers for a browser origin', async () => {
    const preflight = await fetch(`${GATEWAY_URL}/v1/wallets`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${GATEWAY_URL}/v1/currencies`, { headers: { Origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a body over BODY_LIMIT_KB (100) with 413 PAYLOAD_TOO_LARGE in the api-v1 format, and creates nothing', async () => {
    const user = await signUp(api, 'big-body');
    const res = await user.post('/v1/wallets', { currency: 'USD', pin: '2580', padding: 'x'.repeat(101 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', details: { limitKb: 100 }, path: '/v1/wallets', requestId: res.headers.get('x-request-id') });
    expect(Date.parse(res.body.timestamp)).not.toBeNaN();
    expect((await user.get('/v1/wallets')).body.total).toBe(0);
    // Just under the limit is parsed (and then refused for its unknown field, not for its size).
    const under = await user.post('/v1/wallets', { currency: 'USD', pin: '2580', padding: 'x'.repeat(90 * 1024) });
    expect(under.status).toBe(400);
    expect(under.body.error).toBe('VALIDATION_FAILED');
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED in the api-v1 format', async () => {
    const res = await fetch(`${GATEWAY_URL}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'VALIDATION_FAILED', message: 'The body is not valid JSON', path: '/v1/auth/login' });
  });

  it("gives every answer an X-Request-Id (the caller's when well formed), also in error bodies", async () => {
    const ok = await fetch(`${GATEWAY_URL}/v1/currencies`);
    expect(ok.headers.get('x-request-id')).toMatch(/^[\w-]{8,64}$/);
    const mine = `req-${randomUUID()}`;
    const denied = await api.request<any>('GET', '/v1/me', undefined, { 'X-Request-Id': mine });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('x-request-id')).toBe(mine);
    expect(denied.body.requestId).toBe(mine);
    const missing = await api.request<any>('GET', '/v1/nothing-here', undefined, { 'X-Request-Id': 'bad id with spaces' });
    expect(missing.status).toBe(404);
    expect(missing.body.requestId).toBe(missing.headers.get('x-request-id'));
    expect(missing.body.requestId).not.toBe('bad id with spaces');
  });
});
