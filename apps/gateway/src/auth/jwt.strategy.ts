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
}

/**
 * Verifies identity's short-lived access tokens (HS256, issuer tally, expiry enforced), then asks
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

  async validate(claims: AccessTokenClaims): Promise<Actor> {
    if (!isUuid(claims.sub) || !isUuid(claims.sid)) throw new DomainError('UNAUTHENTICATED', 'A valid access token is required');
    const principal = await this.principals.session(claims.sub, claims.sid);
    return { userId: principal.userId, roles: principal.roles, status: principal.status, sessionId: claims.sid };
  }
}
