import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { Actor, ADMIN_READ_ROLES, FraudCommands, FraudRuleView, FraudStatsView, ReviewCaseView, ReviewDecisionView } from '@tally/contracts';
import { origin } from '../auth/auth.controller';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { RequireRoles, RolesGuard } from '../auth/roles.guard';
import { CommandClient } from '../commands/command-client';
import { FraudStatsQueryDto, ReviewDecisionDto, ReviewsQueryDto, UpdateRuleDto } from './fraud-admin.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

/**
 * Fraud for admins: the review queue (held transactions with their evidence; approve or reject
 * with a reason, which posts or voids the hold), the rules (weights and parameters), statistics.
 * A decision is made once per case: the same decision again answers it again, a different one is 409.
 */
@Controller('v1/admin/fraud')
@UseGuards(JwtAuthGuard, RolesGuard)
@RequireRoles('admin')
export class FraudAdminController {
  constructor(private readonly commands: CommandClient) {}

  @Get('reviews')
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'ReviewCaseList')
  reviews(@CurrentActor() actor: Actor, @Query() query: ReviewsQueryDto): Promise<{ items: ReviewCaseView[]; total: number; limit: number; offset: number }> {
    return this.commands.send(FraudCommands.listReviews, query, { actor });
  }

  @Post('reviews/:transactionId/approve')
  @HttpCode(200)
  @ApiAnswer(200, 'ReviewDecision')
  approve(
    @CurrentActor() actor: Actor,
    @Param('transactionId', new PathIdPipe()) id: string,
    @Body() body: ReviewDecisionDto,
    @Req() req: Request,
  ): Promise<ReviewDecisionView> {
    const payload = { transactionId: id, decision: 'approve' as const, reason: body.reason, ...origin(req) };
    return this.commands.send(FraudCommands.decideReview, payload, { actor, key: id });
  }

  @Post('reviews/:transactionId/reject')
  @HttpCode(200)
  @ApiAnswer(200, 'ReviewDecision')
  reject(
    @CurrentActor() actor: Actor,
    @Param('transactionId', new PathIdPipe()) id: string,
    @Body() body: ReviewDecisionDto,
    @Req() req: Request,
  ): Promise<ReviewDecisionView> {
    const payload = { transactionId: id, decision: 'reject' as const, reason: body.reason, ...origin(req) };
    return this.commands.send(FraudCommands.decideReview, payload, { actor, key: id });
  }

  @Get('rules')
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'FraudRuleList')
  rules(@CurrentActor() actor: Actor): Promise<{ items: FraudRuleView[] }> {
    return this.commands.send(FraudCommands.listRules, {}, { actor });
  }

  @Patch('rules/:code')
  @ApiAnswer(200, 'FraudRule')
  updateRule(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: UpdateRuleDto, @Req() req: Request): Promise<FraudRuleView> {
    return this.commands.send(FraudCommands.updateRule, { ...body, code, ...origin(req) }, { actor, key: code });
  }

  @Get('stats')
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'FraudStats')
  stats(@CurrentActor() actor: Actor, @Query() query: FraudStatsQueryDto): Promise<FraudStatsView> {
    return this.commands.send(FraudCommands.stats, query, { actor });
  }
}
