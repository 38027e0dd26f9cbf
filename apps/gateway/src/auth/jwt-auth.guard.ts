import { createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { ApiHeader } from '@nestjs/swagger';
import { Actor, DomainError } from '@tally/contracts';
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENT } from '../idempotency/idempotency.interceptor';

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new DomainError('UNAUTHENTICATED', 'A valid access token is required');
    return user;
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
