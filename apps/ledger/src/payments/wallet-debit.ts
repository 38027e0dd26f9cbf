import { Actor, DomainError, TransactionPendingV1, TransactionView, uuidv7 } from '@tally/contracts';
import { parseAmount } from '@tally/money';
import { LedgerConfig } from '../config/ledger.config';
import { FxConversion } from '../fx/rate-book';
import { PostingInput } from '../journal/journal.repository';
import { checkUserDailyLimit, checkWalletLimits, UserLimitPolicy } from '../limits/limit-exceeded';
import { LegacyPinVerdict, PinPolicy, pinPolicy, verifyPinInBatch } from '../pins/pin-check';
import { LoadedWallet } from '../posting/batch-state';
import { DecisionContext } from '../posting/posting-command';
import { ledgerEventId } from '../replay/ledger-event-id';
import { scoringContext, toTransactionEvent, toTransactionView } from '../transactions/transaction-view';
import { NewTransaction } from '../transactions/transactions.repository';

export interface DebitPolicy {
  pins: PinPolicy;
  userLimit: UserLimitPolicy;
}

export function debitPolicy(config: LedgerConfig): DebitPolicy {
  return {
    pins: pinPolicy(config),
    userLimit: { baseCurrency: config.baseCurrency, limitMinor: parseAmount(config.userDailyLimit, config.baseCurrency) },
  };
}

/** What leaves the wallet and where it goes; the wallet side of the entry is added here. */
export interface HeldDebit {
  type: 'transfer_out' | 'purchase' | 'withdrawal';
  /** In the wallet's currency, without the fee. */
  amount: bigint;
  fee: bigint;
  description?: string;
  /** The entry's other legs (credits, and FX legs), balanced with the wallet's debit of amount + fee. */
  legs: PostingInput[];
  /** Columns of the transaction row beyond the common ones (merchant, counterparty, FX snapshot). */
  row?: Partial<NewTransaction>;
  /** Rows written beside it (the receiver's side of a transfer), linked to it. */
  linked?: (transactionId: string, entryId: string) => NewTransaction[];
  /** Kept on the entry (merchant, rate snapshot, fee). */
  metadata?: Record<string, unknown>;
}

/**
 * The checks every debit from a wallet makes, in this order, on the wallet locked for the batch:
 * the actor owns it (else NOT_FOUND), the PIN (misses count), the user's daily limit across wallets,
 * the wallet is active, then whatever the caller checks (`more`), the wallet's own daily and monthly
 * limits, and funds. Returns the debit in the base currency, for fraud's scoring context.
 */
export function checkDebit(
  ctx: DecisionContext,
  actor: Actor,
  walletId: string,
  pin: unknown,
  debitMinor: bigint,
  policy: DebitPolicy,
  legacy?: LegacyPinVerdict,
  more?: (wallet: LoadedWallet) => void,
): { wallet: LoadedWallet; inBase: FxConversion | undefined } {
  const wallet = ctx.state.wallet(walletId);
  if (!wallet || wallet.user_id !== actor.userId) throw new DomainError('NOT_FOUND', 'Wallet not found');
  verifyPinInBatch(ctx, wallet, pin, policy.pins, legacy);
  const inBase = checkUserDailyLimit(ctx, wallet, { amountMinor: debitMinor, currency: wallet.currency }, policy.userLimit);
  if (wallet.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is not active');
  more?.(wallet);
  checkWalletLimits(ctx, wallet, debitMinor);
  if (ctx.state.available(wallet.account_id) < debitMinor) throw new DomainError('INSUFFICIENT_FUNDS', 'Insufficient funds');
  return { wallet, inBase };
}

/**
 * Holds a checked debit: the transaction row(s), the transaction.pending event with fraud's
 * scoring context, and the pending entry that holds the funds. Fraud's decision then posts or
 * voids that entry (settlement/resolve-pending.ts copies its postings).
 */
export function holdDebit(ctx: DecisionContext, wallet: LoadedWallet, inBase: FxConversion | undefined, debit: HeldDebit): TransactionView {
  const transactionId = uuidv7();
  const entryId = uuidv7();
  const row = ctx.writes.transaction({
    id: transactionId,
    type: debit.type,
    status: 'pending',
    walletId: wallet.id,
    userId: wallet.user_id,
    amount: debit.amount,
    fee: debit.fee,
    currency: wallet.currency,
    description: debit.description,
    pendingEntryId: entryId,
    ...debit.row,
  });
  for (const linked of debit.linked?.(transactionId, entryId) ?? []) ctx.writes.transaction(linked);
  // Kept on the entry too, so a journal replay announces the pending debit exactly as now.
  const scoring = scoringContext(wallet.time_zone, inBase);
  ctx.writes.event(TransactionPendingV1, {
    id: ledgerEventId(entryId, TransactionPendingV1.type),
    source: 'ledger',
    subject: wallet.account_id,
    data: { ...toTransactionEvent(row), ...scoring },
  });
  const walletLeg: PostingInput = { accountId: wallet.account_id, direction: 'D', amount: debit.amount + debit.fee, currency: wallet.currency };
  ctx.writes.entry(
    {
      id: entryId,
      transactionId,
      kind: debit.type === 'transfer_out' ? 'transfer' : debit.type,
      phase: 'pending',
      description: debit.description,
      metadata: { ...debit.metadata, scoring },
    },
    [walletLeg, ...debit.legs],
  );
  return toTransactionView(row);
}
