import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, TransactionPendingV1, TransactionView, TransferPayload, uuidv7 } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { parseAmount, percentageFee } from '@tally/money';
import { AccountsRepository } from '../accounts/accounts.repository';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { transferFeeRule } from '../fees/transfer-fee';
import { UserDailyLimit } from '../fx/user-daily-limit.service';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { JournalRepository } from '../journal/journal.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { checkWalletLimits } from '../limits/limit-exceeded';
import { scoringContext, toTransactionEvent, toTransactionView } from '../transactions/transaction-view';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { WalletRow, WalletsRepository } from '../wallets/wallets.repository';
import { WalletsService } from '../wallets/wallets.service';
import { ledgerEventId } from '../replay/ledger-event-id';

export interface PreparedTransfer {
  wallet: WalletRow;
  amount: bigint;
  fee: bigint;
  toWalletNumber: string;
  description?: string;
  scope: string;
  hash: string;
}

/**
 * A transfer between two wallets of one currency, with a fee leg to fee revenue. It is written as a
 * pending entry that holds the funds; fraud's decision posts or voids it (see SettlePendingHandler).
 */
@Injectable()
export class CreateTransferHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly walletsService: WalletsService,
    private readonly wallets: WalletsRepository,
    private readonly accounts: AccountsRepository,
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly messaging: Messaging,
    private readonly userDailyLimit: UserDailyLimit,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(actor: Actor, input: TransferPayload, idempotencyKey: string): Promise<TransactionView> {
    const transfer = await this.prepare(actor, input);
    const earlier = await this.idempotency.find(transfer.scope, idempotencyKey, 'transfer.create', transfer.hash);
    if (earlier.replay) return earlier.response as TransactionView;
    await this.walletsService.verifyPin(transfer.wallet, input.pin);
    return this.post(transfer, idempotencyKey);
  }

  /** Checks what can be checked without locks: ownership, amount, destination format. */
  async prepare(actor: Actor, input: Omit<TransferPayload, 'pin'> & { pin?: string }): Promise<PreparedTransfer> {
    const wallet = await this.walletsService.owned(actor, input.fromWalletId);
    const amount = parseAmount(input.amount, wallet.currency);
    this.walletsService.checkTransactionBounds(amount, wallet.currency);
    if (typeof input.toWalletNumber !== 'string' || !/^WA\d{12}$/.test(input.toWalletNumber)) {
      throw new DomainError('VALIDATION_FAILED', 'toWalletNumber must be WA followed by 12 digits');
    }
    const { pin: _pin, ...rest } = input;
    return {
      wallet,
      amount,
      fee: percentageFee(amount, transferFeeRule(wallet.currency, this.config.transferFees)),
      toWalletNumber: input.toWalletNumber,
      description: input.description,
      scope: `user:${actor.userId}`,
      hash: requestHash('transfer.create', rest),
    };
  }

  /**
   * The posting path, once the PIN has been checked: one transaction that locks the source wallet,
   * checks limits, and writes both transaction rows, the event and, last, the pending entry. The
   * entry's postings update the balance rows; the database's overdraft CHECK refuses a debit beyond
   * the available balance (INSUFFICIENT_FUNDS), so no balance row is locked before that last write.
   */
  async post(transfer: PreparedTransfer, idempotencyKey: string): Promise<TransactionView> {
    const { amount, fee, scope, hash, description, toWalletNumber } = transfer;
    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'transfer.create', hash);
      if (claim.replay) return claim.response as TransactionView;
      // Lock order for every debit: the user's limit row, then the wallet row, then (by the entry) balances.
      const inBase = await this.userDailyLimit.check(manager, transfer.wallet.user_id, {
        walletId: transfer.wallet.id,
        amountMinor: amount + fee,
        currency: transfer.wallet.currency,
      });
      const from = await this.wallets.lockById(manager, transfer.wallet.id);
      if (!from || from.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The source wallet is not active');
      const to = await this.wallets.findByNumber(manager, toWalletNumber);
      if (!to) throw new DomainError('NOT_FOUND', 'Destination wallet not found');
      if (to.id === from.id) throw new DomainError('VALIDATION_FAILED', 'Cannot transfer to the same wallet');
      if (to.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The destination wallet is not active');
      if (to.currency !== from.currency) {
        throw new DomainError('CURRENCY_MISMATCH', `The destination wallet holds ${to.currency}, not ${from.currency}`);
      }
      checkWalletLimits(from, await this.wallets.spent(manager, from), amount + fee);
      const feeRevenue = await this.accounts.feeRevenueAccount(from.currency);
      const transactionId = uuidv7();
      const entryId = uuidv7();
      const [out] = await this.transactions.insertMany(manager, [
        {
          id: transactionId,
          type: 'transfer_out',
          status: 'pending',
          walletId: from.id,
          userId: from.user_id,
          amount,
          fee,
          currency: from.currency,
          counterpartyWalletId: to.id,
          counterpartyUserId: to.user_id,
          counterpartyWalletNumber: to.wallet_number,
          description: description,
          pendingEntryId: entryId,
        },
        {
          id: uuidv7(),
          type: 'transfer_in',
          status: 'pending',
          walletId: to.id,
          userId: to.user_id,
          amount,
          fee: 0n,
          currency: to.currency,
          counterpartyWalletId: from.id,
          counterpartyUserId: from.user_id,
          counterpartyWalletNumber: from.wallet_number,
          description: description,
          pendingEntryId: entryId,
          linkedTransactionId: transactionId,
        },
      ]);
      // Kept on the entry too, so a journal replay announces the pending debit exactly as now.
      const scoring = scoringContext(from.time_zone, inBase);
      await enqueueEvent(manager, 'ledger', TransactionPendingV1, {
        id: ledgerEventId(entryId, TransactionPendingV1.type),
        source: 'ledger',
        subject: from.account_id,
        data: { ...toTransactionEvent(out), ...scoring },
      });
      const result = toTransactionView(out);
      await this.idempotency.complete(manager, scope, idempotencyKey, result);
      const postings = [
        { accountId: from.account_id, direction: 'D' as const, amount: amount + fee, currency: from.currency },
        { accountId: to.account_id, direction: 'C' as const, amount, currency: from.currency },
      ];
      if (fee > 0n) postings.push({ accountId: feeRevenue, direction: 'C', amount: fee, currency: from.currency });
      await this.journal.append(
        manager,
        { id: entryId, transactionId, kind: 'transfer', phase: 'pending', description, metadata: { fee: fee.toString(), scoring } },
        postings,
      );
      return result;
    });
    this.messaging.published();
    return view;
  }
}
