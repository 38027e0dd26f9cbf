import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Actor } from '@tally/contracts';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';

interface AccessTokenClaims {
  sub: string;
  roles: string[];
  sid: string;
}

/** Verifies identity's short-lived access tokens (HS256, issuer tally, expiry enforced). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      issuer: 'tally',
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): Actor {
    return { userId: claims.sub, roles: Array.isArray(claims.roles) ? claims.roles : [] };
  }
}
