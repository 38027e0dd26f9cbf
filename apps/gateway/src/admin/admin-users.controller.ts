import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, ADMIN_READ_ROLES, AdminUserDetailView, AdminUserView, IdentityCommands, LedgerCommands, Page, UserStatus } from '@tally/contracts';
import { origin } from '../auth/auth.controller';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { PrincipalResolver } from '../auth/principal-resolver';
import { RequireRoles, RolesGuard } from '../auth/roles.guard';
import { CommandClient } from '../commands/command-client';
import { AdminUsersQueryDto, SetRolesDto, StatusReasonDto } from './admin-users.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

const userId = new PathIdPipe();

/**
 * Users for admins: emails and phones masked in lists (the seed's joh***@gmail.com, 9876XXXXX0), in
 * full on one user's page for admins, masked there for auditors. Suspended users cannot move money;
 * closed ones cannot log in.
 */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@Controller('v1/admin/users')
@UseGuards(JwtAuthGuard, RolesGuard)
@RequireRoles('admin')
export class AdminUsersController {
  constructor(
    private readonly commands: CommandClient,
    private readonly principals: PrincipalResolver,
  ) {}

  @Get()
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'UserList')
  async list(@CurrentActor() actor: Actor, @Query() query: AdminUsersQueryDto): Promise<Page<AdminUserView>> {
    if (query.q === undefined) return this.commands.send(IdentityCommands.adminListUsers, query, { actor });
    // q may be a wallet number: the ledger knows its owner; identity matches email, name and username.
    const owners = await this.commands.send(LedgerCommands.adminFindWalletOwners, { q: query.q }, { actor });
    const walletOwnerIds = [...new Set(owners.map((o) => o.userId))];
    return this.commands.send(IdentityCommands.adminListUsers, { ...query, walletOwnerIds }, { actor });
  }

  /** One user: identity's record (sessions, recent security events) and the ledger's wallets with balances. */
  @Get(':id')
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'AdminUserDetail')
  async get(@CurrentActor() actor: Actor, @Param('id', userId) id: string): Promise<AdminUserDetailView> {
    const [record, wallets] = await Promise.all([
      this.commands.send(IdentityCommands.adminGetUser, { userId: id }, { actor, key: id }),
      this.commands.send(LedgerCommands.adminUserWallets, { userId: id }, { actor, key: id }),
    ]);
    return { ...record, wallets };
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiAnswer(200, 'User')
  suspend(@CurrentActor() actor: Actor, @Param('id', userId) id: string, @Body() body: StatusReasonDto, @Req() req: Request): Promise<AdminUserView> {
    return this.setStatus(actor, id, 'suspended', body, req);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @ApiAnswer(200, 'User')
  activate(@CurrentActor() actor: Actor, @Param('id', userId) id: string, @Body() body: StatusReasonDto, @Req() req: Request): Promise<AdminUserView> {
    return this.setStatus(actor, id, 'active', body, req);
  }

  /** Final: the user can no longer log in; sessions and API keys are revoked. */
  @Post(':id/close')
  @HttpCode(200)
  @ApiAnswer(200, 'User')
  close(@CurrentActor() actor: Actor, @Param('id', userId) id: string, @Body() body: StatusReasonDto, @Req() req: Request): Promise<AdminUserView> {
    return this.setStatus(actor, id, 'closed', body, req);
  }

  /** Replaces the user's roles (`user` is always kept). */
  @Post(':id/roles')
  @HttpCode(200)
  @ApiAnswer(200, 'User')
  async setRoles(@CurrentActor() actor: Actor, @Param('id', userId) id: string, @Body() body: SetRolesDto, @Req() req: Request): Promise<AdminUserView> {
    const payload = { userId: id, roles: body.roles, ...origin(req) };
    const user = await this.commands.send(IdentityCommands.adminSetRoles, payload, { actor, key: id });
    this.principals.forgetUser(id);
    return user;
  }

  /** This gateway forgets the user's cached sessions at once; other replicas within AUTH_CACHE_MS. */
  private async setStatus(actor: Actor, id: string, status: UserStatus, body: StatusReasonDto, req: Request): Promise<AdminUserView> {
    const payload = { userId: id, status, reason: body.reason, ...origin(req) };
    const user = await this.commands.send(IdentityCommands.adminSetStatus, payload, { actor, key: id });
    this.principals.forgetUser(id);
    return user;
  }
}
