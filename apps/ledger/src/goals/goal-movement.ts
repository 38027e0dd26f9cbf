import { TransactionPostedV1, TransactionView, uuidv7 } from '@tally/contracts';
import { LoadedGoal, LoadedWallet } from '../posting/batch-state';
import { DecisionContext } from '../posting/posting-command';
import { ledgerEventId } from '../replay/ledger-event-id';
import { toTransactionEvent, toTransactionView } from '../transactions/transaction-view';

/**
 * One posted movement between a wallet and a goal of the same owner: the balanced entry (into the
 * goal for a contribution, out of it for a withdrawal), its transaction row and transaction.posted.
 */
export function writeGoalMovement(
  ctx: DecisionContext,
  movement: {
    kind: 'goal_contribution' | 'goal_withdrawal';
    transactionId?: string;
    wallet: LoadedWallet;
    goal: LoadedGoal;
    amount: bigint;
    description: string;
  },
): TransactionView {
  const { kind, wallet, goal, amount, description } = movement;
  const transactionId = movement.transactionId ?? uuidv7();
  const [from, to] = kind === 'goal_contribution' ? [wallet.account_id, goal.account_id] : [goal.account_id, wallet.account_id];
  const entryId = ctx.writes.entry({ id: uuidv7(), transactionId, kind, phase: 'posted', description, metadata: { goalId: goal.id } }, [
    { accountId: from, direction: 'D', amount, currency: wallet.currency },
    { accountId: to, direction: 'C', amount, currency: wallet.currency },
  ]);
  const row = ctx.writes.transaction({
    id: transactionId,
    type: kind,
    status: 'completed',
    walletId: wallet.id,
    userId: wallet.user_id,
    amount,
    fee: 0n,
    currency: wallet.currency,
    description,
    goalId: goal.id,
  });
  ctx.writes.event(TransactionPostedV1, {
    id: ledgerEventId(entryId, TransactionPostedV1.type),
    source: 'ledger',
    subject: wallet.account_id,
    data: toTransactionEvent(row),
  });
  return toTransactionView(row);
}
