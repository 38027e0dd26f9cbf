import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { Actor, ClosedGoalView, GoalView, LedgerCommands, TransactionView } from '@tally/contracts';
import { CurrentActor, IdempotencyKey, JwtAuthGuard, MovesMoney } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { amountText } from '../http/amount.validator';
import { CloseGoalQueryDto, CreateGoalDto, GoalContributionDto, GoalWithdrawalDto, UpdateGoalDto } from './goals.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

const goalId = new PathIdPipe();

/** A goal is a ledger account of the user, so goals and contributions are ledger commands. */
@Controller('v1/goals')
@UseGuards(JwtAuthGuard)
export class GoalsController {
  constructor(private readonly commands: CommandClient) {}

  @Post()
  @HttpCode(201)
  @ApiAnswer(201, 'Goal')
  create(@CurrentActor() actor: Actor, @IdempotencyKey() idempotencyKey: string, @Body() body: CreateGoalDto): Promise<GoalView> {
    const payload = { ...body, targetAmount: amountText(body.targetAmount) };
    return this.commands.send(LedgerCommands.createGoal, payload, { actor, idempotencyKey });
  }

  @Get()
  @ApiAnswer(200, 'GoalList')
  list(@CurrentActor() actor: Actor): Promise<{ items: GoalView[]; total: number }> {
    return this.commands.send(LedgerCommands.listGoals, {}, { actor });
  }

  @Get(':id')
  @ApiAnswer(200, 'Goal')
  get(@CurrentActor() actor: Actor, @Param('id', goalId) id: string): Promise<GoalView> {
    return this.commands.send(LedgerCommands.getGoal, { goalId: id }, { actor });
  }

  /** Posted at once (money stays the user's): 201 with the goal_contribution transaction. */
  @Post(':id/contributions')
  @HttpCode(201)
  @MovesMoney()
  @ApiAnswer(201, 'Transaction')
  contribute(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', goalId) id: string,
    @Body() body: GoalContributionDto,
  ): Promise<TransactionView> {
    const payload = { ...body, goalId: id, amount: amountText(body.amount) };
    return this.commands.send(LedgerCommands.contributeToGoal, payload, { actor, idempotencyKey, key: body.fromWalletId });
  }

  /** Posted at once: 201 with the goal_withdrawal transaction (the goal may not go below zero). */
  @Post(':id/withdrawals')
  @HttpCode(201)
  @MovesMoney()
  @ApiAnswer(201, 'Transaction')
  withdraw(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', goalId) id: string,
    @Body() body: GoalWithdrawalDto,
  ): Promise<TransactionView> {
    const payload = { goalId: id, toWalletId: body.toWalletId, amount: amountText(body.amount) };
    return this.commands.send(LedgerCommands.withdrawFromGoal, payload, { actor, idempotencyKey, key: body.toWalletId });
  }

  @Patch(':id')
  @ApiAnswer(200, 'Goal')
  update(@CurrentActor() actor: Actor, @Param('id', goalId) id: string, @Body() body: UpdateGoalDto): Promise<GoalView> {
    const payload = {
      goalId: id,
      name: body.name,
      deadline: body.deadline,
      targetAmount: body.targetAmount === undefined ? undefined : amountText(body.targetAmount),
    };
    return this.commands.send(LedgerCommands.updateGoal, payload, { actor, key: id });
  }

  /** Closes the goal; one that holds money is emptied into ?toWalletId first (409 without it). Answers the closed goal and the withdrawal, if any. */
  @Delete(':id')
  @MovesMoney()
  @ApiAnswer(200, 'ClosedGoal')
  close(@CurrentActor() actor: Actor, @Param('id', goalId) id: string, @Query() query: CloseGoalQueryDto): Promise<ClosedGoalView> {
    return this.commands.send(LedgerCommands.closeGoal, { goalId: id, toWalletId: query.toWalletId }, { actor, key: id });
  }
}
