import { applyDecorators, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, ApiKeyScope, DomainError } from '@tally/contracts';
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENT } from '../idempotency/idempotency.interceptor';
import { PrincipalResolver } from './principal-resolver';

/** Metadata of ApiKeyScopeNeeded (the OpenAPI document reads it to declare each route's security). */
export const API_KEY_SCOPE = 'tally:api-key-scope';
const MOVES_MONEY = 'tally:moves-money';

/** The route also accepts `X-API-Key` with this scope (routes without it take a person's Bearer token only). */
export const ApiKeyScopeNeeded = (scope: ApiKeyScope) => SetMetadata(API_KEY_SCOPE, scope);

/** The route moves money: a suspended user (or a suspended user's API key) is refused with 403. */
export const MovesMoney = () => SetMetadata(MOVES_MONEY, true);

/**
 * Authenticates a request by `Authorization: Bearer <access token>` (session checked with identity)
 * or, on routes marked with ApiKeyScopeNeeded, by `X-API-Key` holding that scope. Then refuses
 * money movement to users who are not active.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalResolver,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    const apiKey = req.header('x-api-key');
    if (apiKey !== undefined && req.header('authorization') === undefined) {
      req.user = await this.apiKeyActor(context, apiKey);
    } else {
      await super.canActivate(context);
    }
    if (this.reflector.getAllAndOverride<boolean>(MOVES_MONEY, [context.getHandler(), context.getClass()]) && req.user?.status !== 'active') {
      throw new DomainError('FORBIDDEN', 'This account is suspended and cannot move money', { reason: 'ACCOUNT_SUSPENDED' });
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    // Identity unreachable is a 503 (retry), not a bad token.
    if (err instanceof DomainError && err.code === 'SERVICE_UNAVAILABLE') throw err;
    if (err || !user) throw new DomainError('UNAUTHENTICATED', 'A valid access token is required');
    return user;
  }

  private async apiKeyActor(context: ExecutionContext, apiKey: string): Promise<Actor> {
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(API_KEY_SCOPE, [context.getHandler(), context.getClass()]);
    if (!scope) throw new DomainError('UNAUTHENTICATED', 'This route needs a Bearer access token; API keys are not accepted here');
    if (apiKey.length > 200) throw new DomainError('UNAUTHENTICATED', 'The API key is invalid, expired or revoked');
    const principal = await this.principals.apiKey(apiKey);
    if (!principal.scopes?.includes(scope)) {
      throw new DomainError('FORBIDDEN', `This API key lacks the ${scope} scope`, { scope });
    }
    return { userId: principal.userId, roles: principal.roles, status: principal.status, apiKeyId: principal.apiKeyId, scopes: principal.scopes };
  }
}

/** The authenticated caller, as verified by JwtAuthGuard. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<Request & { user: Actor }>().user;
});

/**
 * The Idempotency-Key header, required on money-moving and creating POSTs. Taking it also marks the
 * route for IdempotencyInterceptor (replay of the stored answer, 409 for another body) and for the
 * OpenAPI document.
 */
/** The route takes an optional Idempotency-Key (an anonymous creation such as registration) and remembers it when sent. */
export const IdempotentWhenKeyed = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Optional here. Same key and body: the first answer again; another body: 409 IDEMPOTENCY_KEY_REUSED. Kept at least 24 h.',
    }),
  );

export const IdempotencyKey = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string => {
    const key = ctx.switchToHttp().getRequest<Request>().header('idempotency-key');
    if (!key || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new DomainError('VALIDATION_FAILED', 'An Idempotency-Key header (1 to 255 visible ASCII characters) is required');
    }
    return key;
  },
  [
    // Runs once per decorated handler: marks it idempotent and documents the header.
    (target: object, propertyKey?: string | symbol) => {
      const descriptor = propertyKey === undefined ? undefined : Object.getOwnPropertyDescriptor(target, propertyKey);
      if (propertyKey === undefined || !descriptor) return;
      SetMetadata(IDEMPOTENT, true)(target, propertyKey, descriptor);
      ApiHeader({
        name: 'Idempotency-Key',
        required: true,
        description: 'Same key and body: the first answer again; another body: 409 IDEMPOTENCY_KEY_REUSED. Kept at least 24 h.',
      })(target, propertyKey, descriptor);
    },
  ],
);
