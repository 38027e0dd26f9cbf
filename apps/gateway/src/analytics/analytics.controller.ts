import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { Actor, AnalyticsCommands, SpendingGroupBy, SpendingView } from '@tally/contracts';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { ApiAnswer } from '../openapi/openapi';

export class SpendingQueryDto {
  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;

  @IsOptional()
  @IsIn(['category', 'day', 'week', 'month'])
  groupBy?: SpendingGroupBy;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;
}

@ApiTags('analytics')
@ApiBearerAuth('bearer')
@Controller('v1/analytics')
@UseGuards(JwtAuthGuard)
export class AnalyticsController {
  constructor(private readonly commands: CommandClient) {}

  @Get('spending')
  @ApiAnswer(200, 'Spending')
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'groupBy', required: false, enum: ['category', 'day', 'week', 'month'] })
  @ApiQuery({ name: 'currency', required: false })
  spending(@CurrentActor() actor: Actor, @Query() query: SpendingQueryDto): Promise<SpendingView> {
    return this.commands.send(AnalyticsCommands.spending, { ...query, groupBy: query.groupBy ?? 'category' }, { actor });
  }
}
