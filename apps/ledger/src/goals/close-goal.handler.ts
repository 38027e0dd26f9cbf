import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, ClosedGoalView, CloseGoalPayload, DomainError, TransactionView } from '@tally/contracts';
import { formatAmount } from '@tally/money';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { GoalsRepository } from './goals.repository';
import { GoalsService, toGoalView } from './goals.service';
import { WithdrawFromGoalHandler } from './withdraw-from-goal.handler';

/** Contributions that land between emptying and closing send the close round again, this many times at most. */
const ATTEMPTS = 3;

/**
 * DELETE /v1/goals/{id}: a goal that holds money is emptied into one of its owner's wallets
 * (a goal_withdrawal of everything it holds), then closed under its row lock once it is seen empty.
 * A closed goal keeps its account and history; the database refuses any posting to it after.
 */
@Injectable()
export class CloseGoalHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly goals: GoalsService,
    private readonly repository: GoalsRepository,
    private readonly withdrawals: WithdrawFromGoalHandler,
  ) {}

  async execute(actor: Actor, input: CloseGoalPayload): Promise<ClosedGoalView> {
    let goal = await this.goals.owned(actor, input.goalId);
    let transaction: TransactionView | null = null;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (BigInt(goal.saved) > 0n) {
        if (input.toWalletId === undefined || input.toWalletId === null) {
          throw new DomainError(
            'CONFLICT',
            `The goal holds ${formatAmount(BigInt(goal.saved), goal.currency)} ${goal.currency}: name toWalletId to empty it into`,
            {
              savedAmount: formatAmount(BigInt(goal.saved), goal.currency),
            },
          );
        }
        transaction = (await this.withdrawals.emptyInto(actor, goal, input.toWalletId)) ?? transaction;
      }
      const outcome = await runLedgerTransaction(this.dataSource, async (manager) => {
        const locked = await this.repository.lockOwned(manager, actor.userId, goal.id);
        if (!locked) throw new DomainError('NOT_FOUND', 'Goal not found');
        if (BigInt(locked.saved) !== 0n) return { goal: locked, closedAt: undefined };
        return { goal: locked, closedAt: await this.repository.close(manager, goal.id) };
      });
      if (outcome.closedAt) return { goal: { ...toGoalView(outcome.goal), closedAt: new Date(outcome.closedAt).toISOString() }, transaction };
      goal = outcome.goal;
    }
    throw new DomainError('CONFLICT', 'Money kept arriving in the goal while it was being closed; try again');
  }
}
