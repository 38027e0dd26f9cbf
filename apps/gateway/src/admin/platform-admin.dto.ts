import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { ANALYTICS_GROUPS } from '@tally/contracts';
import { PageQueryDto } from '../http/page-query.dto';

/** GET /v1/admin/analytics; analytics checks the range itself (order, at most 400 periods). */
export class PlatformAnalyticsQueryDto {
  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;

  @IsOptional()
  @IsIn(ANALYTICS_GROUPS)
  groupBy?: string;
}

/** GET /v1/admin/audit-logs: newest first by default. */
export class AuditLogsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  actorId?: string;

  /** The user the action touched, or whose security event it is. */
  @IsOptional()
  @IsUUID()
  userId?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9_.-]{1,80}$/, { message: 'action must be an action name such as login_failed or fraud.review.approved' })
  action?: string;

  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;
}
