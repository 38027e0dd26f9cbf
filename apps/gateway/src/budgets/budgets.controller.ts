import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { Actor, AnalyticsCommands, BudgetProgressView, BudgetView } from '@tally/contracts';
import { CurrentActor, IdempotencyKey, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { amountText } from '../http/amount.validator';
import { BudgetListQueryDto, CreateBudgetDto, UpdateBudgetDto } from './budgets.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

const budgetId = new PathIdPipe();

/** Budgets are analytics' (computed from its spending projection); someone else's budget is 404. */
@Controller('v1/budgets')
@UseGuards(JwtAuthGuard)
export class BudgetsController {
  constructor(private readonly commands: CommandClient) {}

  @Post()
  @HttpCode(201)
  @ApiAnswer(201, 'Budget')
  create(@CurrentActor() actor: Actor, @IdempotencyKey() idempotencyKey: string, @Body() body: CreateBudgetDto): Promise<BudgetView> {
    const payload = { ...body, amount: amountText(body.amount) };
    return this.commands.send(AnalyticsCommands.createBudget, payload, { actor, idempotencyKey });
  }

  @Get()
  @ApiAnswer(200, 'BudgetList')
  list(@CurrentActor() actor: Actor, @Query() query: BudgetListQueryDto): Promise<{ items: BudgetView[]; total: number; limit: number; offset: number }> {
    return this.commands.send(AnalyticsCommands.listBudgets, { ...query }, { actor });
  }

  @Get(':id')
  @ApiAnswer(200, 'Budget')
  get(@CurrentActor() actor: Actor, @Param('id', budgetId) id: string): Promise<BudgetView> {
    return this.commands.send(AnalyticsCommands.getBudget, { budgetId: id }, { actor });
  }

  @Get(':id/progress')
  @ApiAnswer(200, 'BudgetProgress')
  progress(@CurrentActor() actor: Actor, @Param('id', budgetId) id: string): Promise<BudgetProgressView> {
    return this.commands.send(AnalyticsCommands.budgetProgress, { budgetId: id }, { actor });
  }

  @Patch(':id')
  @ApiAnswer(200, 'Budget')
  update(@CurrentActor() actor: Actor, @Param('id', budgetId) id: string, @Body() body: UpdateBudgetDto): Promise<BudgetView> {
    const payload = { ...body, budgetId: id, amount: body.amount === undefined ? undefined : amountText(body.amount) };
    return this.commands.send(AnalyticsCommands.updateBudget, payload, { actor, key: id });
  }

  /** 204; the budget stops counting and alerting (another user's, or one already deleted, is 404). */
  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentActor() actor: Actor, @Param('id', budgetId) id: string): Promise<void> {
    await this.commands.send(AnalyticsCommands.deleteBudget, { budgetId: id }, { actor, key: id });
  }
}
