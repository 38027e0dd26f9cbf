import { Inject, Injectable } from '@nestjs/common';
import { Actor, DomainError, TransactionView, TransferPayload, uuidv7 } from '@tally/contracts';
import { parseAmount, percentageFee } from '@tally/money';
import { AccountsRepository } from '../accounts/accounts.repository';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { transferFeeRule } from '../fees/transfer-fee';
import { requestHash } from '../idempotency/idempotency.repository';
import { PostingInput } from '../journal/journal.repository';
import { checkBaseCurrencyMaximum, checkTransactionBounds } from '../limits/transaction-bounds';
import { checkDebit, debitPolicy, holdDebit } from '../payments/wallet-debit';
import { withLegacyPinCheck } from '../pins/pin-check';
import { PostingKernel } from '../posting/posting-kernel';
import { WalletDirectory } from '../posting/wallet-directory';

const WALLET_NUMBER = /^WA\d{12}$/;

/**
 * A transfer between two wallets of one currency, with a fee leg to fee revenue. It is written as a
 * pending entry that holds the funds; fraud's decision posts or voids it (SettlePendingHandler).
 */
@Injectable()
export class CreateTransferHandler {
  constructor(
    private readonly kernel: PostingKernel,
    private readonly directory: WalletDirectory,
    private readonly accounts: AccountsRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(actor: Actor, input: TransferPayload, idempotencyKey: string): Promise<TransactionView> {
    // What can be checked before the batch: ownership, the amount in the wallet's currency, the destination's form.
    const source = await this.directory.owned(actor, input.fromWalletId);
    const amount = parseAmount(input.amount, source.currency);
    checkTransactionBounds(amount, source.currency, this.config.transactionBounds);
    if (typeof input.toWalletNumber !== 'string' || !WALLET_NUMBER.test(input.toWalletNumber)) {
      throw new DomainError('VALIDATION_FAILED', 'toWalletNumber must be WA followed by 12 digits');
    }
    const toWalletNumber = input.toWalletNumber;
    const fee = percentageFee(amount, transferFeeRule(source.currency, this.config.transferFees));
    const feeRevenue = await this.accounts.feeRevenueAccount(source.currency);
    const { pin, ...rest } = input;
    const policy = debitPolicy(this.config);
    return withLegacyPinCheck(pin, (legacy) =>
      this.kernel.submit({
        kind: 'transfer',
        needs: {
          claim: { scope: `user:${actor.userId}`, key: idempotencyKey, command: 'transfer.create', hash: requestHash('transfer.create', rest) },
          users: [actor.userId],
          wallets: [source.id],
          spendingOf: [source.id],
          walletNumbers: [toWalletNumber],
        },
        decide: (ctx) => {
          checkBaseCurrencyMaximum(amount, source.currency, this.config.transactionBounds, ctx.rates);
          const to = ctx.state.walletByNumber(toWalletNumber);
          const { wallet: from, inBase } = checkDebit(ctx, actor, source.id, pin, amount + fee, policy, legacy, (from) => {
            if (!to) throw new DomainError('NOT_FOUND', 'Destination wallet not found');
            if (to.id === from.id) throw new DomainError('VALIDATION_FAILED', 'Cannot transfer to the same wallet');
            if (to.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The destination wallet is not active');
            if (to.currency !== from.currency) {
              throw new DomainError('CURRENCY_MISMATCH', `The destination wallet holds ${to.currency}, not ${from.currency}`);
            }
          });
          const receiver = to as NonNullable<typeof to>;
          const legs: PostingInput[] = [{ accountId: receiver.account_id, direction: 'C', amount, currency: from.currency }];
          if (fee > 0n) legs.push({ accountId: feeRevenue, direction: 'C', amount: fee, currency: from.currency });
          return holdDebit(ctx, from, inBase, {
            type: 'transfer_out',
            amount,
            fee,
            description: input.description,
            legs,
            row: { counterpartyWalletId: receiver.id, counterpartyUserId: receiver.user_id, counterpartyWalletNumber: receiver.wallet_number },
            // The receiver's side, settled with it.
            linked: (transactionId, entryId) => [
              {
                id: uuidv7(),
                type: 'transfer_in',
                status: 'pending',
                walletId: receiver.id,
                userId: receiver.user_id,
                amount,
                fee: 0n,
                currency: receiver.currency,
                counterpartyWalletId: from.id,
                counterpartyUserId: from.user_id,
                counterpartyWalletNumber: from.wallet_number,
                description: input.description,
                pendingEntryId: entryId,
                linkedTransactionId: transactionId,
              },
            ],
            metadata: { fee: fee.toString() },
          });
        },
      }),
    );
  }
}
