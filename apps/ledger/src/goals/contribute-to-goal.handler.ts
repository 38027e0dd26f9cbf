import { Inject, Injectable } from '@nestjs/common';
import { Actor, DomainError, GoalContributionPayload, GoalMilestoneV1, TransactionView, uuidv7 } from '@tally/contracts';
import { parseAmount } from '@tally/money';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { requestHash } from '../idempotency/idempotency.repository';
import { checkBaseCurrencyMaximum, checkTransactionBounds } from '../limits/transaction-bounds';
import { pinPolicy, verifyPinInBatch, withLegacyPinCheck } from '../pins/pin-check';
import { PostingKernel } from '../posting/posting-kernel';
import { WalletDirectory } from '../posting/wallet-directory';
import { writeGoalMovement } from './goal-movement';
import { milestonesReached } from './goals.repository';
import { GoalsService } from './goals.service';

/**
 * Money from one of the user's wallets into one of their goals: one posted, balanced entry (debit
 * the wallet, credit the goal's account) in the wallet's currency, which must be the goal's.
 * Checked like a withdrawal (ownership, PIN, per-transaction bounds, active wallet, funds), but
 * posted at once without fraud's hold and outside the wallet's daily and monthly limits: the money
 * stays the user's, so nothing leaves Tally or reaches anyone else. The goal is locked with the
 * batch, so the milestones a contribution crosses are counted exactly and announced once.
 */
@Injectable()
export class ContributeToGoalHandler {
  constructor(
    private readonly kernel: PostingKernel,
    private readonly goals: GoalsService,
    private readonly directory: WalletDirectory,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(actor: Actor, input: GoalContributionPayload, idempotencyKey: string): Promise<TransactionView> {
    const goal = await this.goals.owned(actor, input.goalId);
    const owned = await this.directory.owned(actor, input.fromWalletId);
    if (owned.currency !== goal.currency) {
      throw new DomainError('CURRENCY_MISMATCH', `The wallet is in ${owned.currency}, the goal in ${goal.currency}`);
    }
    const amount = parseAmount(input.amount, owned.currency);
    checkTransactionBounds(amount, owned.currency, this.config.transactionBounds);
    const hash = requestHash('goal.contribute', { goalId: goal.id, fromWalletId: owned.id, amount: amount.toString() });
    const pins = pinPolicy(this.config);
    return withLegacyPinCheck(input.pin, (legacy) =>
      this.kernel.submit({
        kind: 'goal_contribution',
        needs: { claim: { scope: `user:${actor.userId}`, key: idempotencyKey, command: 'goal.contribute', hash }, wallets: [owned.id], goals: [goal.id] },
        decide: (ctx) => {
          checkBaseCurrencyMaximum(amount, owned.currency, this.config.transactionBounds, ctx.rates);
          const wallet = ctx.state.wallet(owned.id);
          const locked = ctx.state.goal(goal.id);
          if (!wallet || wallet.user_id !== actor.userId || !locked) throw new DomainError('NOT_FOUND', 'Wallet not found');
          verifyPinInBatch(ctx, wallet, input.pin, pins, legacy);
          if (wallet.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is not active');
          if (ctx.state.available(wallet.account_id) < amount) throw new DomainError('INSUFFICIENT_FUNDS', 'Insufficient funds');
          const balance = ctx.state.balance(locked.account_id);
          const savedBefore = balance.postedCredits - balance.postedDebits;
          const transactionId = uuidv7();
          const view = writeGoalMovement(ctx, { kind: 'goal_contribution', transactionId, wallet, goal: locked, amount, description: `Goal: ${locked.name}` });
          const target = BigInt(locked.target_amount);
          for (const milestone of milestonesReached(target, savedBefore, savedBefore + amount)) {
            if (locked.milestones.includes(milestone)) continue;
            ctx.writes.milestones.push({ goalId: locked.id, milestone, transactionId });
            ctx.writes.event(GoalMilestoneV1, {
              source: 'ledger',
              subject: locked.account_id,
              key: locked.user_id,
              data: {
                goalId: locked.id,
                userId: locked.user_id,
                name: locked.name,
                currency: locked.currency,
                milestone,
                targetAmountMinor: target.toString(),
                savedAmountMinor: (savedBefore + amount).toString(),
                transactionId,
              },
            });
          }
          return view;
        },
      }),
    );
  }
}
