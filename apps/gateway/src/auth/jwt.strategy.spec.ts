import { DomainError, ResolvedPrincipal } from '@tally/contracts';
import { loadGatewayConfig } from '../config/gateway.config';
import { JwtStrategy } from './jwt.strategy';
import { PrincipalResolver } from './principal-resolver';

describe('JwtStrategy.validate (after the signature, issuer and a present exp were checked)', () => {
  const userId = '0192e4a0-7b1c-7def-8abc-0123456789ab';
  const sid = '0192e4a0-7b1c-7def-8abc-0123456789ac';
  const asked: string[] = [];
  const principals = {
    session: async (u: string, s: string): Promise<ResolvedPrincipal> => (asked.push(s), { userId: u, sessionId: s, roles: ['user'], status: 'active' }),
  } as unknown as PrincipalResolver;
  const strategy = new JwtStrategy(loadGatewayConfig({}), principals);
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: userId, sid, roles: ['user'], iat: now, exp: now + 900 };

  it('accepts identity’s claims and takes roles from the live session', async () => {
    await expect(strategy.validate(claims)).resolves.toEqual({ userId, roles: ['user'], status: 'active', sessionId: sid });
  });

  it.each([
    ['no exp', { exp: undefined }],
    ['no iat', { iat: undefined }],
    ['no sid', { sid: undefined }],
    ['a sid that is not a uuid', { sid: 'abc' }],
    ['exp before iat', { exp: now - 1 }],
    ['a lifetime past an hour', { exp: now + 3601 }],
    ['a fractional exp', { exp: now + 0.5 }],
  ])('refuses a token with %s (401) without asking identity', async (_what, change) => {
    const before = asked.length;
    await expect(strategy.validate({ ...claims, ...change } as typeof claims)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(strategy.validate({ ...claims, ...change } as typeof claims)).rejects.toBeInstanceOf(DomainError);
    expect(asked.length).toBe(before);
  });
});
