import { Inject, Injectable } from '@nestjs/common';
import { Actor, DepositPayload, DomainError, TransactionPostedV1, TransactionView, uuidv7 } from '@tally/contracts';
import { parseAmount } from '@tally/money';
import { AccountsRepository } from '../accounts/accounts.repository';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { requestHash } from '../idempotency/idempotency.repository';
import { checkBaseCurrencyMaximum, checkTransactionBounds } from '../limits/transaction-bounds';
import { PostingKernel } from '../posting/posting-kernel';
import { WalletDirectory } from '../posting/wallet-directory';
import { ledgerEventId } from '../replay/ledger-event-id';
import { toTransactionEvent, toTransactionView } from '../transactions/transaction-view';

/** Money arriving from an external funding source: debit funding (asset), credit the wallet (liability). */
@Injectable()
export class CreateDepositHandler {
  constructor(
    private readonly kernel: PostingKernel,
    private readonly directory: WalletDirectory,
    private readonly accounts: AccountsRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(actor: Actor, input: DepositPayload, idempotencyKey: string): Promise<TransactionView> {
    const owned = await this.directory.owned(actor, input.walletId);
    const amount = parseAmount(input.amount, owned.currency);
    checkTransactionBounds(amount, owned.currency, this.config.transactionBounds);
    const funding = await this.accounts.systemAccount('funding', owned.currency);
    return this.kernel.submit({
      kind: 'deposit',
      needs: {
        claim: { scope: `user:${actor.userId}`, key: idempotencyKey, command: 'deposit.create', hash: requestHash('deposit.create', { ...input }) },
        // KEY SHARE: a status change waits for the batch, and deposits never wait on the wallet's spenders.
        sharedWallets: [owned.id],
      },
      decide: (ctx) => {
        checkBaseCurrencyMaximum(amount, owned.currency, this.config.transactionBounds, ctx.rates);
        const wallet = ctx.state.wallet(owned.id);
        if (!wallet || wallet.user_id !== actor.userId) throw new DomainError('NOT_FOUND', 'Wallet not found');
        if (wallet.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is not active');
        const transactionId = uuidv7();
        const entryId = ctx.writes.entry({ id: uuidv7(), transactionId, kind: 'deposit', phase: 'posted', description: input.description }, [
          { accountId: funding, direction: 'D', amount, currency: wallet.currency },
          { accountId: wallet.account_id, direction: 'C', amount, currency: wallet.currency },
        ]);
        const row = ctx.writes.transaction({
          id: transactionId,
          type: 'deposit',
          status: 'completed',
          walletId: wallet.id,
          userId: wallet.user_id,
          amount,
          fee: 0n,
          currency: wallet.currency,
          description: input.description,
        });
        ctx.writes.event(TransactionPostedV1, {
          id: ledgerEventId(entryId, TransactionPostedV1.type),
          source: 'ledger',
          subject: wallet.account_id,
          data: toTransactionEvent(row),
        });
        return toTransactionView(row);
      },
    });
  }
}
