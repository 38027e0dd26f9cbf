import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, GoalContributionPayload, GoalMilestoneV1, TransactionPostedV1, TransactionView, uuidv7 } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { parseAmount } from '@tally/money';
import { AccountsRepository } from '../accounts/accounts.repository';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { JournalRepository } from '../journal/journal.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { ledgerEventId } from '../replay/ledger-event-id';
import { toTransactionEvent, toTransactionView } from '../transactions/transaction-view';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { WalletsRepository } from '../wallets/wallets.repository';
import { WalletsService } from '../wallets/wallets.service';
import { GoalsRepository, milestonesReached } from './goals.repository';
import { GoalsService } from './goals.service';

/**
 * Money from one of the user's wallets into one of their goals: one posted, balanced entry (debit
 * the wallet, credit the goal's account) in the wallet's currency, which must be the goal's.
 * Checked like a withdrawal (ownership, PIN, per-transaction bounds, active wallet, funds by the
 * overdraft CHECK), but posted at once without fraud's hold and outside the wallet's daily and
 * monthly limits: the money stays the user's, so nothing leaves Tally or reaches anyone else.
 */
@Injectable()
export class ContributeToGoalHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly goals: GoalsService,
    private readonly goalsRepository: GoalsRepository,
    private readonly walletsService: WalletsService,
    private readonly wallets: WalletsRepository,
    private readonly accounts: AccountsRepository,
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly messaging: Messaging,
  ) {}

  async execute(actor: Actor, input: GoalContributionPayload, idempotencyKey: string): Promise<TransactionView> {
    const goal = await this.goals.owned(actor, input.goalId);
    const owned = await this.walletsService.owned(actor, input.fromWalletId);
    if (owned.currency !== goal.currency) {
      throw new DomainError('CURRENCY_MISMATCH', `The wallet is in ${owned.currency}, the goal in ${goal.currency}`);
    }
    const amount = parseAmount(input.amount, owned.currency);
    this.walletsService.checkTransactionBounds(amount, owned.currency);
    const scope = `user:${actor.userId}`;
    const hash = requestHash('goal.contribute', { goalId: goal.id, fromWalletId: owned.id, amount: amount.toString() });
    const earlier = await this.idempotency.find(scope, idempotencyKey, 'goal.contribute', hash);
    if (earlier.replay) return earlier.response as TransactionView;
    await this.walletsService.verifyPin(owned, input.pin);

    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'goal.contribute', hash);
      if (claim.replay) return claim.response as TransactionView;
      const wallet = await this.wallets.lockById(manager, owned.id);
      if (!wallet || wallet.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is not active');
      await this.goalsRepository.lock(manager, goal.id);
      const goalBalance = (await this.accounts.balances(manager, [goal.account_id])).get(goal.account_id);
      const savedBefore = goalBalance ? BigInt(goalBalance.posted_credits) - BigInt(goalBalance.posted_debits) : 0n;
      const transactionId = uuidv7();
      const entryId = uuidv7();
      const description = `Goal: ${goal.name}`;
      await this.journal.append(manager, { id: entryId, transactionId, kind: 'goal_contribution', phase: 'posted', description, metadata: { goalId: goal.id } }, [
        { accountId: wallet.account_id, direction: 'D', amount, currency: wallet.currency },
        { accountId: goal.account_id, direction: 'C', amount, currency: wallet.currency },
      ]);
      const row = await this.transactions.insert(manager, {
        id: transactionId,
        type: 'goal_contribution',
        status: 'completed',
        walletId: wallet.id,
        userId: wallet.user_id,
        amount,
        fee: 0n,
        currency: wallet.currency,
        description,
        goalId: goal.id,
      });
      await enqueueEvent(manager, 'ledger', TransactionPostedV1, {
        id: ledgerEventId(entryId, TransactionPostedV1.type),
        source: 'ledger',
        subject: wallet.account_id,
        data: toTransactionEvent(row),
      });
      // Under the goal's row lock: before and after are exact, so each milestone is seen crossed once.
      const target = BigInt(goal.target_amount);
      for (const milestone of milestonesReached(target, savedBefore, savedBefore + amount)) {
        if (!(await this.goalsRepository.claimMilestone(manager, goal.id, milestone, transactionId))) continue;
        await enqueueEvent(manager, 'ledger', GoalMilestoneV1, {
          source: 'ledger',
          subject: goal.account_id,
          key: goal.user_id,
          data: {
            goalId: goal.id,
            userId: goal.user_id,
            name: goal.name,
            currency: goal.currency,
            milestone,
            targetAmountMinor: target.toString(),
            savedAmountMinor: (savedBefore + amount).toString(),
            transactionId,
          },
        });
      }
      const result = toTransactionView(row);
      await this.idempotency.complete(manager, scope, idempotencyKey, result);
      return result;
    });
    this.messaging.published();
    return view;
  }
}
