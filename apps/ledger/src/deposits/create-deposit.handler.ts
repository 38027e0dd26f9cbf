import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DepositPayload, DomainError, TransactionPostedV1, TransactionView, uuidv7 } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { parseAmount } from '@tally/money';
import { AccountsRepository } from '../accounts/accounts.repository';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { JournalRepository } from '../journal/journal.repository';
import { ledgerEventId } from '../replay/ledger-event-id';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { toTransactionEvent, toTransactionView } from '../transactions/transaction-view';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { WalletsService } from '../wallets/wallets.service';
import { WalletsRepository } from '../wallets/wallets.repository';

/** Money arriving from an external funding source: debit funding (asset), credit the wallet (liability). */
@Injectable()
export class CreateDepositHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly walletsService: WalletsService,
    private readonly wallets: WalletsRepository,
    private readonly accounts: AccountsRepository,
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly messaging: Messaging,
  ) {}

  async execute(actor: Actor, input: DepositPayload, idempotencyKey: string): Promise<TransactionView> {
    const owned = await this.walletsService.owned(actor, input.walletId);
    const amount = parseAmount(input.amount, owned.currency);
    this.walletsService.checkTransactionBounds(amount, owned.currency);
    const scope = `user:${actor.userId}`;
    const hash = requestHash('deposit.create', { ...input });
    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'deposit.create', hash);
      if (claim.replay) return claim.response as TransactionView;
      const wallet = await this.wallets.lockById(manager, owned.id);
      if (!wallet || wallet.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is not active');
      const funding = await this.accounts.systemAccount('funding', wallet.currency);
      const transactionId = uuidv7();
      const entryId = uuidv7();
      await this.journal.append(manager, { id: entryId, transactionId, kind: 'deposit', phase: 'posted', description: input.description }, [
        { accountId: funding, direction: 'D', amount, currency: wallet.currency },
        { accountId: wallet.account_id, direction: 'C', amount, currency: wallet.currency },
      ]);
      const row = await this.transactions.insert(manager, {
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
      await enqueueEvent(manager, 'ledger', TransactionPostedV1, {
        id: ledgerEventId(entryId, TransactionPostedV1.type),
        source: 'ledger',
        subject: wallet.account_id,
        data: toTransactionEvent(row),
      });
      const result = toTransactionView(row);
      await this.idempotency.complete(manager, scope, idempotencyKey, result);
      return result;
    });
    this.messaging.published();
    return view;
  }
}
