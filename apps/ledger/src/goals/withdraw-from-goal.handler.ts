import { Inject, Injectable } from '@nestjs/common';
import { Actor, DomainError, GoalWithdrawalPayload, TransactionView } from '@tally/contracts';
import { formatAmount, parseAmount } from '@tally/money';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { IdempotencyClaim } from '../posting/posting-command';
import { requestHash } from '../idempotency/idempotency.repository';
import { checkBaseCurrencyMaximum, checkTransactionBounds } from '../limits/transaction-bounds';
import { PostingKernel } from '../posting/posting-kernel';
import { WalletDirectory } from '../posting/wallet-directory';
import { writeGoalMovement } from './goal-movement';
import { GoalRow } from './goals.repository';
import { GoalsService } from './goals.service';

/**
 * Money from a goal back to one of its owner's wallets (type goal_withdrawal): one posted, balanced
 * entry (debit the goal's account, credit the wallet's) in the goal's currency, which must be the
 * wallet's. The mirror of a contribution: the same per-transaction bounds, no PIN (nothing leaves
 * the user), no fraud hold, no spending limit. The goal is locked with the batch and its account
 * may not go below zero (the database's guard), so two withdrawals never take the same money.
 */
@Injectable()
export class WithdrawFromGoalHandler {
  constructor(
    private readonly kernel: PostingKernel,
    private readonly goals: GoalsService,
    private readonly directory: WalletDirectory,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(actor: Actor, input: GoalWithdrawalPayload, idempotencyKey: string): Promise<TransactionView> {
    const goal = await this.goals.owned(actor, input.goalId);
    const wallet = await this.walletFor(actor, goal, input.toWalletId);
    const amount = parseAmount(input.amount, goal.currency);
    checkTransactionBounds(amount, goal.currency, this.config.transactionBounds);
    const hash = requestHash('goal.withdraw', { goalId: goal.id, toWalletId: wallet, amount: amount.toString() });
    const claim = { scope: `user:${actor.userId}`, key: idempotencyKey, command: 'goal.withdraw', hash };
    return (await this.post(actor, goal, wallet, amount, claim)) as TransactionView;
  }

  /**
   * Everything the goal holds, into the wallet (a goal being closed), whatever the per-transaction
   * bounds: the amount is read under the batch's lock, so a retry moves only what is left. Undefined
   * when the goal held nothing.
   */
  async emptyInto(actor: Actor, goal: GoalRow, toWalletId: string): Promise<TransactionView | undefined> {
    return this.post(actor, goal, await this.walletFor(actor, goal, toWalletId), 'all');
  }

  private async walletFor(actor: Actor, goal: GoalRow, walletId: string): Promise<string> {
    const owned = await this.directory.owned(actor, walletId);
    if (owned.currency !== goal.currency) throw new DomainError('CURRENCY_MISMATCH', `The goal is in ${goal.currency}, the wallet in ${owned.currency}`);
    return owned.id;
  }

  private post(actor: Actor, goal: GoalRow, walletId: string, asked: bigint | 'all', claim?: IdempotencyClaim): Promise<TransactionView | undefined> {
    return this.kernel.submit({
      kind: 'goal_withdrawal',
      // KEY SHARE on the wallet, as for a deposit: money arrives, nothing is spent from it.
      needs: { claim, sharedWallets: [walletId], goals: [goal.id] },
      decide: (ctx) => {
        const wallet = ctx.state.wallet(walletId);
        const locked = ctx.state.goal(goal.id);
        if (!wallet || wallet.user_id !== actor.userId) throw new DomainError('NOT_FOUND', 'Wallet not found');
        if (!locked || locked.user_id !== actor.userId) throw new DomainError('NOT_FOUND', 'Goal not found');
        if (wallet.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is not active');
        const held = ctx.state.available(locked.account_id);
        const amount = asked === 'all' ? held : asked;
        if (amount === 0n) return undefined;
        if (asked !== 'all') checkBaseCurrencyMaximum(amount, locked.currency, this.config.transactionBounds, ctx.rates);
        if (held < amount) {
          throw new DomainError('INSUFFICIENT_FUNDS', `The goal holds ${formatAmount(held, locked.currency)} ${locked.currency}`, {
            available: formatAmount(held, locked.currency),
          });
        }
        return writeGoalMovement(ctx, { kind: 'goal_withdrawal', wallet, goal: locked, amount, description: `From goal: ${locked.name}` });
      },
    });
  }
}
