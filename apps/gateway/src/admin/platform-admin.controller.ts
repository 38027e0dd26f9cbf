import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, ADMIN_READ_ROLES, AnalyticsCommands, AuditLogEntryView, Page, PlatformAnalyticsView } from '@tally/contracts';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { RequireRoles, RolesGuard } from '../auth/roles.guard';
import { CommandClient } from '../commands/command-client';
import { ApiAnswer, ApiQueries } from '../openapi/openapi';
import { AuditLogsQueryDto, PlatformAnalyticsQueryDto } from './platform-admin.dto';

/**
 * The platform as a whole, from analytics' projections of every service's events: figures over a
 * range (by day, week or month), and the audit log of every admin action and security event.
 * Both read only, so admins and auditors alike.
 */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@Controller('v1/admin')
@UseGuards(JwtAuthGuard, RolesGuard)
@RequireRoles(...ADMIN_READ_ROLES)
export class PlatformAdminController {
  constructor(private readonly commands: CommandClient) {}

  @Get('analytics')
  @ApiAnswer(200, 'PlatformAnalytics')
  @ApiQueries('from', 'to', 'groupBy')
  analytics(@CurrentActor() actor: Actor, @Query() query: PlatformAnalyticsQueryDto): Promise<PlatformAnalyticsView> {
    return this.commands.send(AnalyticsCommands.platformAnalytics, query, { actor });
  }

  @Get('audit-logs')
  @ApiAnswer(200, 'AuditLogList')
  @ApiQueries('actorId', 'userId', 'action', 'from', 'to', 'limit', 'offset')
  auditLogs(@CurrentActor() actor: Actor, @Query() query: AuditLogsQueryDto): Promise<Page<AuditLogEntryView>> {
    return this.commands.send(AnalyticsCommands.auditLogs, query, { actor });
  }
}
