import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { Actor, GoalView, LedgerCommands, TransactionView } from '@tally/contracts';
import { CurrentActor, IdempotencyKey, JwtAuthGuard, MovesMoney } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { amountText } from '../http/amount.validator';
import { CreateGoalDto, GoalContributionDto } from './goals.dto';
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
}
