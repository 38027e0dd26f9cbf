import { Inject, Injectable } from '@nestjs/common';
import { Actor, DomainError, TransactionView, WithdrawalPayload } from '@tally/contracts';
import { parseAmount } from '@tally/money';
import { AccountsRepository } from '../accounts/accounts.repository';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { requestHash } from '../idempotency/idempotency.repository';
import { checkBaseCurrencyMaximum, checkTransactionBounds } from '../limits/transaction-bounds';
import { checkDebit, debitPolicy, holdDebit } from '../payments/wallet-debit';
import { withLegacyPinCheck } from '../pins/pin-check';
import { PostingKernel } from '../posting/posting-kernel';
import { WalletDirectory } from '../posting/wallet-directory';

/**
 * Money out of a wallet to the external funding source (the reverse of a deposit): debit the
 * wallet, credit funding. No fee (the wallet seed charges none on debits). Held as a pending entry
 * until fraud decides, like a transfer.
 */
@Injectable()
export class CreateWithdrawalHandler {
  constructor(
    private readonly kernel: PostingKernel,
    private readonly directory: WalletDirectory,
    private readonly accounts: AccountsRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(actor: Actor, input: WithdrawalPayload, idempotencyKey: string): Promise<TransactionView> {
    const source = await this.directory.owned(actor, input.walletId);
    const amount = parseAmount(input.amount, source.currency);
    checkTransactionBounds(amount, source.currency, this.config.transactionBounds);
    if (input.description !== undefined && (typeof input.description !== 'string' || input.description.length > 500)) {
      throw new DomainError('VALIDATION_FAILED', 'description must be text of at most 500 characters');
    }
    const funding = await this.accounts.systemAccount('funding', source.currency);
    const { pin, ...rest } = input;
    const policy = debitPolicy(this.config);
    return withLegacyPinCheck(pin, (legacy) =>
      this.kernel.submit({
        kind: 'withdrawal',
        needs: {
          claim: { scope: `user:${actor.userId}`, key: idempotencyKey, command: 'withdrawal.create', hash: requestHash('withdrawal.create', rest) },
          users: [actor.userId],
          wallets: [source.id],
          spendingOf: [source.id],
        },
        decide: (ctx) => {
          checkBaseCurrencyMaximum(amount, source.currency, this.config.transactionBounds, ctx.rates);
          const { wallet, inBase } = checkDebit(ctx, actor, source.id, pin, amount, policy, legacy);
          return holdDebit(ctx, wallet, inBase, {
            type: 'withdrawal',
            amount,
            fee: 0n,
            description: input.description,
            legs: [{ accountId: funding, direction: 'C', amount, currency: wallet.currency }],
          });
        },
      }),
    );
  }
}
