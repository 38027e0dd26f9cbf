import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { Actor, DomainError } from '@tally/contracts';

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

/** The Idempotency-Key header, required on money-moving and creating POSTs. */
export const IdempotencyKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const key = ctx.switchToHttp().getRequest<Request>().header('idempotency-key');
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new DomainError('VALIDATION_FAILED', 'An Idempotency-Key header (1 to 255 visible ASCII characters) is required');
  }
  return key;
});
