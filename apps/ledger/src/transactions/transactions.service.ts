import { Injectable } from '@nestjs/common';
import { Actor, DomainError, isUuid, TransactionList, TransactionListQuery, TransactionView } from '@tally/contracts';
import { transactionFilter } from './transaction-list';
import { toTransactionView } from './transaction-view';
import { TransactionsRepository } from './transactions.repository';
import { WalletsRepository } from '../wallets/wallets.repository';

@Injectable()
export class TransactionsService {
  constructor(
    private readonly transactions: TransactionsRepository,
    private readonly wallets: WalletsRepository,
  ) {}

  /** Someone else's transaction answers NOT_FOUND, exactly like a missing one. */
  async get(actor: Actor, transactionId: string): Promise<TransactionView> {
    const row = isUuid(transactionId) ? await this.transactions.findById(transactionId) : undefined;
    if (!row || row.user_id !== actor.userId) throw new DomainError('NOT_FOUND', 'Transaction not found');
    return toTransactionView(row);
  }

  /** The caller's own transactions only; filtering by someone else's wallet (or a missing one) is NOT_FOUND, as reading it is. */
  async list(actor: Actor, query: TransactionListQuery): Promise<TransactionList> {
    const filter = transactionFilter(actor.userId, query);
    if (filter.walletId) {
      const wallet = await this.wallets.findById(filter.walletId);
      if (!wallet || wallet.user_id !== actor.userId) throw new DomainError('NOT_FOUND', 'Wallet not found');
    }
    const { rows, total } = await this.transactions.list(filter);
    return { items: rows.map(toTransactionView), total, limit: filter.limit, offset: filter.offset };
  }
}
