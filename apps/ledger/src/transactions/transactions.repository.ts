import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '@tally/database';
import { minorDigits, SUPPORTED_CURRENCIES } from '@tally/money';
import { TransactionFilter } from './transaction-list';

export interface TransactionRow {
  id: string;
  reference: string;
  type: string;
  status: string;
  wallet_id: string;
  user_id: string;
  amount: string;
  fee: string;
  currency: string;
  counterparty_wallet_id: string | null;
  counterparty_user_id: string | null;
  counterparty_wallet_number: string | null;
  merchant_name: string | null;
  merchant_category: string | null;
  description: string;
  fraud_score: number | null;
  fraud_flags: string[] | null;
  original_transaction_id: string | null;
  refunded_amount: string;
  pending_entry_id: string | null;
  linked_transaction_id: string | null;
  created_at: Date;
  completed_at: Date | null;
  original_amount: string | null;
  original_currency: string | null;
  fx_rate: string | null;
  goal_id: string | null;
}

export interface NewTransaction {
  id: string;
  type: string;
  status: 'pending' | 'completed';
  walletId: string;
  userId: string;
  amount: bigint;
  fee: bigint;
  currency: string;
  counterpartyWalletId?: string;
  counterpartyUserId?: string;
  counterpartyWalletNumber?: string;
  description?: string;
  pendingEntryId?: string;
  linkedTransactionId?: string;
  merchantName?: string;
  merchantCategory?: string;
  /** A purchase in another currency: the amount in it (minor units), the currency and the rate applied. */
  fx?: { originalAmount: bigint; originalCurrency: string; rate: string };
  /** A refund: the purchase it refunds. */
  originalTransactionId?: string;
  /** A goal contribution: the goal it saves toward. */
  goalId?: string;
}

/** The ledger's read model of money movements (status changes here; the journal never changes). */
@Injectable()
export class TransactionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, t: NewTransaction): Promise<TransactionRow> {
    const [row] = await this.insertMany(manager, [t]);
    return row;
  }

  /** Several rows in one statement (both sides of a transfer), returned in the order given. */
  async insertMany(manager: EntityManager, transactions: NewTransaction[]): Promise<TransactionRow[]> {
    const values: unknown[] = [];
    const tuples = transactions.map((t) => {
      const o = values.length;
      values.push(
        t.id,
        reference(t.id),
        t.type,
        t.status,
        t.walletId,
        t.userId,
        t.amount.toString(),
        t.fee.toString(),
        t.currency,
        t.counterpartyWalletId ?? null,
        t.counterpartyUserId ?? null,
        t.counterpartyWalletNumber ?? null,
        t.description ?? '',
        t.pendingEntryId ?? null,
        t.linkedTransactionId ?? null,
        t.merchantName ?? null,
        t.merchantCategory ?? null,
        t.fx?.originalAmount.toString() ?? null,
        t.fx?.originalCurrency ?? null,
        t.fx?.rate ?? null,
        t.originalTransactionId ?? null,
        t.goalId ?? null,
      );
      const p = (n: number) => `$${o + n}`;
      return `(${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map(p).join(', ')}, CASE WHEN ${p(4)} = 'completed' THEN now() END, ${[16, 17, 18, 19, 20, 21, 22].map(p).join(', ')})`;
    });
    const rows: TransactionRow[] = await manager.query(
      `INSERT INTO ledger.transactions
         (id, reference, type, status, wallet_id, user_id, amount, fee, currency, counterparty_wallet_id,
          counterparty_user_id, counterparty_wallet_number, description, pending_entry_id, linked_transaction_id, completed_at,
          merchant_name, merchant_category, original_amount, original_currency, fx_rate, original_transaction_id, goal_id)
       VALUES ${tuples.join(', ')}
       RETURNING *`,
      values,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return transactions.map((t) => byId.get(t.id) as TransactionRow);
  }

  /**
   * One page of a user's transactions (every user's for an admin) and the total that match. Amount bounds are major units in
   * each row's own currency (exact numeric arithmetic, the minor digits per currency passed in).
   */
  async list(filter: TransactionFilter): Promise<{ rows: TransactionRow[]; total: number }> {
    // A null owner is the admin list over every user (TransactionFilter demands it be said).
    const where = [filter.userId === null ? '$1::uuid IS NULL' : 't.user_id = $1'];
    const values: unknown[] = [filter.userId, SUPPORTED_CURRENCIES, SUPPORTED_CURRENCIES.map((c) => minorDigits(c))];
    const add = (clause: (p: string) => string, value: unknown) => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (filter.walletId) add((p) => `t.wallet_id = ${p}`, filter.walletId);
    if (filter.type) add((p) => `t.type = ${p}`, filter.type);
    if (filter.status) add((p) => `t.status = ${p}`, filter.status);
    if (filter.merchantCategory) add((p) => `t.merchant_category = ${p}`, filter.merchantCategory);
    if (filter.from) add((p) => `t.created_at >= ${p}`, filter.from);
    if (filter.to) add((p) => `t.created_at < ${p}`, filter.to);
    if (filter.minAmount) add((p) => `t.amount >= ${p}::numeric * 10 ^ d.digits`, filter.minAmount);
    if (filter.maxAmount) add((p) => `t.amount <= ${p}::numeric * 10 ^ d.digits`, filter.maxAmount);
    const from = `FROM ledger.transactions t JOIN unnest($2::text[], $3::int[]) AS d (currency, digits) ON d.currency = trim(t.currency)
      WHERE ${where.join(' AND ')}`;
    const column = { createdAt: 't.created_at', amount: 't.amount', type: 't.type', status: 't.status' }[filter.sortBy];
    const order = filter.sortOrder === 'asc' ? 'ASC' : 'DESC';
    const [rows, counted]: [TransactionRow[], { total: number }[]] = await Promise.all([
      this.dataSource.query(`SELECT t.* ${from} ORDER BY ${column} ${order}, t.id ${order} LIMIT ${filter.limit} OFFSET ${filter.offset}`, values),
      this.dataSource.query(`SELECT count(*)::int AS total ${from}`, values),
    ]);
    return { rows, total: counted[0].total };
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<TransactionRow | undefined> {
    const rows: TransactionRow[] = await manager.query(`SELECT * FROM ledger.transactions WHERE id = $1`, [id]);
    return rows[0];
  }

  async lockById(manager: EntityManager, id: string): Promise<TransactionRow | undefined> {
    const rows: TransactionRow[] = await manager.query(`SELECT * FROM ledger.transactions WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  /** Settles a transaction and the one linked to it (the other side of a transfer). */
  async settle(
    manager: EntityManager,
    id: string,
    status: 'completed' | 'voided',
    fraud: { score: number | null; flags: string[] | null },
  ): Promise<TransactionRow> {
    const rows = returningRows<TransactionRow>(
      await manager.query(
        `UPDATE ledger.transactions
          SET status = $2, fraud_score = $3, fraud_flags = $4, completed_at = CASE WHEN $2 = 'completed' THEN now() END
        WHERE id = $1 OR linked_transaction_id = $1
        RETURNING *`,
        [id, status, fraud.score, fraud.flags],
      ),
    );
    return rows.find((r) => r.id === id) as TransactionRow;
  }

  async recordFraudScore(manager: EntityManager, id: string, fraud: { score: number; flags: string[] }): Promise<void> {
    await manager.query(`UPDATE ledger.transactions SET fraud_score = $2, fraud_flags = $3 WHERE id = $1`, [id, fraud.score, fraud.flags]);
  }

  /** Adds a refund to a purchase's refunded total (the row is locked by the caller; a CHECK keeps it within the amount). */
  async addRefunded(manager: EntityManager, id: string, amount: bigint): Promise<TransactionRow> {
    const rows = returningRows<TransactionRow>(
      await manager.query(`UPDATE ledger.transactions SET refunded_amount = refunded_amount + $2 WHERE id = $1 RETURNING *`, [id, amount.toString()]),
    );
    return rows[0];
  }

  /** Marks a transaction and the one linked to it (the other side of a transfer) reversed. */
  async markReversed(manager: EntityManager, id: string): Promise<TransactionRow> {
    const rows = returningRows<TransactionRow>(
      await manager.query(`UPDATE ledger.transactions SET status = 'reversed' WHERE id = $1 OR linked_transaction_id = $1 RETURNING *`, [id]),
    );
    return rows.find((r) => r.id === id) as TransactionRow;
  }
}

/** Human-readable, unique because it is derived from the (unique, time-ordered) id. */
export function reference(id: string): string {
  return `TX-${id.replace(/-/g, '').slice(0, 12).toUpperCase()}-${id.slice(-6).toUpperCase()}`;
}
