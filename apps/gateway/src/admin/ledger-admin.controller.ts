import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, ADMIN_READ_ROLES, LedgerCommands, ReplayRunView, TrialBalanceView, VerificationRunView } from '@tally/contracts';
import { origin } from '../auth/auth.controller';
import { CurrentActor, IdempotencyKey, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { RequireRoles, RolesGuard } from '../auth/roles.guard';
import { CommandClient } from '../commands/command-client';
import { ReplayDto } from './ledger-admin.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

/**
 * The ledger's books for admins: the trial balance, and two background runs over the whole ledger
 * (202 with the run; poll GET until status is completed): verification of every balance row against
 * its postings, and journal replay to ledger.replay for rebuilding a projection.
 */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@Controller('v1/admin/ledger')
@UseGuards(JwtAuthGuard, RolesGuard)
@RequireRoles('admin')
export class LedgerAdminController {
  constructor(private readonly commands: CommandClient) {}

  @Get('trial-balance')
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'TrialBalance')
  trialBalance(@CurrentActor() actor: Actor): Promise<TrialBalanceView> {
    return this.commands.send(LedgerCommands.trialBalance, {}, { actor });
  }

  @Post('verifications')
  @HttpCode(202)
  @ApiAnswer(202, 'VerificationRun')
  startVerification(@CurrentActor() actor: Actor, @IdempotencyKey() idempotencyKey: string, @Req() req: Request): Promise<VerificationRunView> {
    return this.commands.send(LedgerCommands.startVerification, origin(req), { actor, idempotencyKey });
  }

  @Get('verifications/:id')
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'VerificationRun')
  verification(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string): Promise<VerificationRunView> {
    return this.commands.send(LedgerCommands.getVerification, { runId: id }, { actor });
  }

  @Post('replays')
  @HttpCode(202)
  @ApiAnswer(202, 'ReplayRun')
  startReplay(@CurrentActor() actor: Actor, @IdempotencyKey() idempotencyKey: string, @Body() body: ReplayDto, @Req() req: Request): Promise<ReplayRunView> {
    return this.commands.send(LedgerCommands.startReplay, { from: body.from, to: body.to, ...origin(req) }, { actor, idempotencyKey });
  }

  @Get('replays/:id')
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'ReplayRun')
  replay(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string): Promise<ReplayRunView> {
    return this.commands.send(LedgerCommands.getReplay, { runId: id }, { actor });
  }
}
