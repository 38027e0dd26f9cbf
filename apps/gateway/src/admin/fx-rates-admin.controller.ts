import { Body, Controller, Get, Put, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, ADMIN_READ_ROLES, FxRateView, LedgerCommands } from '@tally/contracts';
import { origin } from '../auth/auth.controller';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { RequireRoles, RolesGuard } from '../auth/roles.guard';
import { CommandClient } from '../commands/command-client';
import { ApiAnswer } from '../openapi/openapi';
import { SetFxRateDto } from './fx-rates-admin.dto';

/**
 * The FX rates the ledger values money with (purchases in another currency, limits and fraud's
 * high-value rule in the base currency), as data: admins and auditors read them, an admin sets
 * one with a reason; every change is kept with the old rate and is in the audit log.
 */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@Controller('v1/admin/fx-rates')
@UseGuards(JwtAuthGuard, RolesGuard)
@RequireRoles('admin')
export class FxRatesAdminController {
  constructor(private readonly commands: CommandClient) {}

  @Get()
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'FxRateList')
  list(@CurrentActor() actor: Actor): Promise<FxRateView[]> {
    return this.commands.send(LedgerCommands.adminListFxRates, {}, { actor });
  }

  /** Sets one stored pair (a pair stored the other way round is 409: set that one). */
  @Put()
  @ApiAnswer(200, 'FxRate')
  set(@CurrentActor() actor: Actor, @Body() body: SetFxRateDto, @Req() req: Request): Promise<FxRateView> {
    return this.commands.send(LedgerCommands.adminSetFxRate, { ...body, ...origin(req) }, { actor, key: `${body.base}/${body.quote}` });
  }
}
