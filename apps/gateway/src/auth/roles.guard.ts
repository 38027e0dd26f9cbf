import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Actor, DomainError } from '@tally/contracts';

const ROLES = 'tally:roles';

/** The roles a route needs (any one of them). Use after JwtAuthGuard, which sets the actor. */
export const RequireRoles = (...roles: string[]) => SetMetadata(ROLES, roles);

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (!needed || needed.length === 0) return true;
    const actor = context.switchToHttp().getRequest<Request & { user?: Actor }>().user;
    if (!actor || !needed.some((role) => actor.roles.includes(role))) {
      throw new DomainError('FORBIDDEN', `This route needs the ${needed.join(' or ')} role`);
    }
    return true;
  }
}
