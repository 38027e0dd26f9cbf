import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import { DomainError } from '@tally/contracts';

/** Where @nestjs/swagger keeps a handler's @ApiQuery parameters. */
const API_PARAMETERS = 'swagger/apiParameters';

/**
 * Unknown query parameters are refused the same way on every route: 400 VALIDATION_FAILED naming
 * each. A route taking a query DTO class (`@Query() q: SomeQueryDto`) is left to the global
 * ValidationPipe (forbidNonWhitelisted gives the same answer); otherwise the route allows the
 * parameters it names (`@Query('asOf')`) or documents (`@ApiQuery`, e.g. the transaction filters
 * the ledger checks), and a route with none allows none. Global, so a new route cannot forget it.
 */
@Injectable()
export class KnownQueryGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const names = Object.keys(req.query ?? {});
    if (names.length === 0) return true;
    const controller = context.getClass();
    const handler = context.getHandler();
    const args: Record<string, { index: number; data?: unknown }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {};
    const types: unknown[] = Reflect.getMetadata('design:paramtypes', controller.prototype, handler.name) ?? [];
    const documented: { in?: string; name?: string }[] = Reflect.getMetadata(API_PARAMETERS, handler) ?? [];
    const allowed = new Set(documented.filter((p) => p.in === 'query' && typeof p.name === 'string').map((p) => p.name as string));
    for (const [key, arg] of Object.entries(args)) {
      if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
      if (typeof arg.data === 'string') allowed.add(arg.data);
      else if (isDtoClass(types[arg.index])) return true; // the ValidationPipe answers
    }
    const unknown = names.filter((n) => !allowed.has(n));
    if (unknown.length === 0) return true;
    throw new DomainError('VALIDATION_FAILED', 'The request is invalid', {
      problems: unknown.map((n) => `property ${n.slice(0, 100)} should not exist`),
    });
  }
}

function isDtoClass(type: unknown): boolean {
  return typeof type === 'function' && type !== Object && type !== String && type !== Array;
}
