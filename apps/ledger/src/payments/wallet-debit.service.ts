import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError, TransactionPendingV1, TransactionView, uuidv7 } from '@tally/contracts';
import { enqueueEvent } from '@tally/messaging';
import { AccountsRepository } from '../accounts/accounts.repository';
import { FxConversion } from '../fx/fx-rates.service';
import { UserDailyLimit } from '../fx/user-daily-limit.service';
import { IdempotencyRepository } from '../idempotency/idempotency.repository';
import { JournalRepository, PostingInput } from '../journal/journal.repository';
import { checkWalletLimits } from '../limits/limit-exceeded';
import { scoringContext, toTransactionEvent, toTransactionView } from '../transactions/transaction-view';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { WalletsRepository } from '../wallets/wallets.repository';
import { ledgerEventId } from '../replay/ledger-event-id';

/** Money leaving a wallet for outside Tally: a purchase at a merchant or a withdrawal to the funding source. */
export type WalletDebit =
  | {
      type: 'withdrawal';
      userId: string;
      walletId: string;
      walletCurrency: string;
      /** In the wallet's currency. */
      amount: bigint;
      description?: string;
    }
  | {
      type: 'purchase';
      userId: string;
      walletId: string;
      walletCurrency: string;
      /** In the wallet's currency (converted when the purchase was in another one). */
      amount: bigint;
      description?: string;
      merchantName: string;
      merchantCategory: string;
      /** Set when the purchase was in another currency than the wallet's. */
      fx?: FxConversion;
    };

/**
 * The write path shared by purchases and withdrawals, run inside runLedgerTransaction after the
 * idempotency claim: user and wallet limits under locks, then the transaction row, the
 * TransactionPendingV1 event, the idempotency outcome and, last, the pending entry that holds the
 * funds. Fraud's decision then posts or voids that entry (SettlePendingHandler copies its postings).
 * Funds are checked by the database itself: the entry's wallet posting is refused by the overdraft
 * CHECK, which runLedgerTransaction reports as INSUFFICIENT_FUNDS.
 */
@Injectable()
export class WalletDebitService {
  constructor(
    private readonly wallets: WalletsRepository,
    private readonly accounts: AccountsRepository,
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly userDailyLimit: UserDailyLimit,
  ) {}

  async hold(manager: EntityManager, debit: WalletDebit, idempotency: { scope: string; key: string }): Promise<TransactionView> {
    // Lock order for every debit: the user's limit row, then the wallet row, then (by the entry) balances.
    const inBase = await this.userDailyLimit.check(manager, debit.userId, { walletId: debit.walletId, amountMinor: debit.amount, currency: debit.walletCurrency });
    const wallet = await this.wallets.lockById(manager, debit.walletId);
    if (!wallet || wallet.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is not active');
    checkWalletLimits(wallet, await this.wallets.spent(manager, wallet), debit.amount);

    const walletLeg: PostingInput = { accountId: wallet.account_id, direction: 'D', amount: debit.amount, currency: wallet.currency };
    const otherLegs = await this.counterLegs(debit, wallet.currency);
    const transactionId = uuidv7();
    const entryId = uuidv7();
    const row = await this.transactions.insert(manager, {
      id: transactionId,
      type: debit.type,
      status: 'pending',
      walletId: wallet.id,
      userId: wallet.user_id,
      amount: debit.amount,
      fee: 0n,
      currency: wallet.currency,
      description: debit.description,
      pendingEntryId: entryId,
      ...(debit.type === 'purchase'
        ? {
            merchantName: debit.merchantName,
            merchantCategory: debit.merchantCategory,
            fx: debit.fx && { originalAmount: debit.fx.amountMinor, originalCurrency: debit.fx.from, rate: debit.fx.rate },
          }
        : {}),
    });
    // Kept on the entry too, so a journal replay announces the pending debit exactly as now.
    const scoring = scoringContext(wallet.time_zone, inBase);
    await enqueueEvent(manager, 'ledger', TransactionPendingV1, {
      id: ledgerEventId(entryId, TransactionPendingV1.type),
      source: 'ledger',
      subject: wallet.account_id,
      data: { ...toTransactionEvent(row), ...scoring },
    });
    const view = toTransactionView(row);
    await this.idempotency.complete(manager, idempotency.scope, idempotency.key, view);
    // Last write: the postings lock the balance rows they touch (a busy merchant or funding account) until COMMIT.
    await this.journal.append(
      manager,
      { id: entryId, transactionId, kind: debit.type, phase: 'pending', description: debit.description, metadata: { ...entryMetadata(debit), scoring } },
      [walletLeg, ...otherLegs],
    );
    return view;
  }

  /**
   * The credit side of the wallet's debit, balanced per currency:
   * - withdrawal: credit the external funding account (deposits debit it);
   * - purchase in the wallet's currency W: credit merchant settlement in W;
   * - purchase of X in C from a wallet in W: credit FX position W (the converted amount), debit FX
   *   position C and credit merchant settlement C (X each).
   */
  private async counterLegs(debit: WalletDebit, walletCurrency: string): Promise<PostingInput[]> {
    if (debit.type === 'withdrawal') {
      return [{ accountId: await this.accounts.systemAccount('funding', walletCurrency), direction: 'C', amount: debit.amount, currency: walletCurrency }];
    }
    if (!debit.fx) {
      const merchant = await this.accounts.systemAccount('merchant_settlement', walletCurrency);
      return [{ accountId: merchant, direction: 'C', amount: debit.amount, currency: walletCurrency }];
    }
    const { from: paidIn, amountMinor: paid } = debit.fx;
    return [
      { accountId: await this.accounts.systemAccount('fx_position', walletCurrency), direction: 'C', amount: debit.amount, currency: walletCurrency },
      { accountId: await this.accounts.systemAccount('fx_position', paidIn), direction: 'D', amount: paid, currency: paidIn },
      { accountId: await this.accounts.systemAccount('merchant_settlement', paidIn), direction: 'C', amount: paid, currency: paidIn },
    ];
  }
}

/** What the journal keeps about the debit besides its postings: the merchant and the rate snapshot. */
function entryMetadata(debit: WalletDebit): Record<string, unknown> {
  if (debit.type === 'withdrawal') return {};
  const metadata: Record<string, unknown> = { merchantName: debit.merchantName, merchantCategory: debit.merchantCategory };
  if (debit.fx) {
    metadata.fx = {
      originalAmount: debit.fx.amountMinor.toString(),
      originalCurrency: debit.fx.from,
      convertedAmount: debit.fx.convertedMinor.toString(),
      walletCurrency: debit.fx.to,
      rate: debit.fx.rate,
      quote: debit.fx.quote,
      inverted: debit.fx.inverted,
      source: debit.fx.source,
      rounding: 'half-up to the wallet currency minor unit',
    };
  }
  return metadata;
}
