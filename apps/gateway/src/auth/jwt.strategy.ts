import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Actor, DomainError, isUuid } from '@tally/contracts';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { PrincipalResolver } from './principal-resolver';

interface AccessTokenClaims {
  sub: string;
  roles: string[];
  sid: string;
  iat: number;
  exp: number;
}

/** Identity signs access tokens for at most an hour (ACCESS_TOKEN_TTL_SECONDS ≤ 3600). */
const MAX_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/**
 * Verifies identity's short-lived access tokens (HS256, issuer tally, exp and iat required), then asks
 * identity (cached for AUTH_CACHE_MS) whether the token's session is still live: a logged-out or
 * revoked session stops working within that time, not when the token expires. Roles and status
 * come from that answer, so a role change or suspension applies as fast.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly principals: PrincipalResolver,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      issuer: 'tally',
      ignoreExpiration: false,
    });
  }

  /**
   * jsonwebtoken checks `exp` only when it is present, so a token without one would never expire:
   * every claim identity always sets (sub, sid, iat, exp) is required here, and a lifetime longer
   * than identity ever signs is refused too.
   */
  async validate(claims: AccessTokenClaims): Promise<Actor> {
    const timed = Number.isInteger(claims.iat) && Number.isInteger(claims.exp) && claims.exp > claims.iat;
    if (!isUuid(claims.sub) || !isUuid(claims.sid) || !timed || claims.exp - claims.iat > MAX_ACCESS_TOKEN_LIFETIME_SECONDS) {
      throw new DomainError('UNAUTHENTICATED', 'A valid access token is required');
    }
    const principal = await this.principals.session(claims.sub, claims.sid);
    return { userId: principal.userId, roles: principal.roles, status: principal.status, sessionId: claims.sid };
  }
}
