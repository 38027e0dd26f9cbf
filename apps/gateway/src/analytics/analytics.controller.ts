import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { Actor, AnalyticsCommands, INCOME_EXPENSE_GROUPS, IncomeExpenseGroupBy, IncomeExpenseView, SpendingGroupBy, SpendingView } from '@tally/contracts';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { ApiAnswer } from '../openapi/openapi';

/** A date range and a currency, as the caller's analytics reads take them (analytics checks the order). */
class RangeQueryDto {
  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;
}

export class SpendingQueryDto extends RangeQueryDto {
  @IsOptional()
  @IsIn(['category', 'day', 'week', 'month'])
  groupBy?: SpendingGroupBy;
}

export class IncomeExpenseQueryDto extends RangeQueryDto {
  @IsOptional()
  @IsIn(INCOME_EXPENSE_GROUPS)
  groupBy?: IncomeExpenseGroupBy;
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

/** The seeds' income vs expense report over a custom date range (api-v1 v1.1), from analytics' projection. */
@ApiTags('analytics')
@ApiBearerAuth('bearer')
@Controller('v1/reports')
@UseGuards(JwtAuthGuard)
export class ReportsController {
  constructor(private readonly commands: CommandClient) {}

  @Get('income-expense')
  @ApiAnswer(200, 'IncomeExpense')
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601; default: the first day of the month eleven months ago (UTC)' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601, exclusive; default: now' })
  @ApiQuery({ name: 'groupBy', required: false, enum: [...INCOME_EXPENSE_GROUPS] })
  @ApiQuery({ name: 'currency', required: false, description: 'default: the currency the caller moves most money in' })
  incomeExpense(@CurrentActor() actor: Actor, @Query() query: IncomeExpenseQueryDto): Promise<IncomeExpenseView> {
    return this.commands.send(AnalyticsCommands.incomeExpense, { ...query, groupBy: query.groupBy ?? 'month' }, { actor });
  }
}
