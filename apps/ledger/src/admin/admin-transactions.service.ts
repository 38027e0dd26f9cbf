import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  ADMIN_READ_ROLES,
  AdminTransactionDetailView,
  AdminTransactionListQuery,
  AdminTransactionView,
  DomainError,
  isUuid,
  JournalEntryView,
  Page,
  requireRole,
} from '@tally/contracts';
import { formatAmount } from '@tally/money';
import { transactionFilter } from '../transactions/transaction-list';
import { toStaffTransactionView } from '../transactions/transaction-view';
import { TransactionRow, TransactionsRepository } from '../transactions/transactions.repository';

interface EntryRow {
  id: string;
  kind: string;
  phase: string;
  pending_entry_id: string | null;
  description: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

interface PostingRow {
  entry_id: string;
  account_id: string;
  code: string;
  type: string;
  owner_id: string | null;
  direction: 'D' | 'C';
  amount: string;
  currency: string;
}

/**
 * Every user's transactions for admins and auditors: the user list's filters plus userId, and one
 * transaction with the journal entries behind it. Reads only: nothing here moves money.
 */
@Injectable()
export class AdminTransactionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionsRepository,
  ) {}

  async list(actor: Actor, query: AdminTransactionListQuery): Promise<Page<AdminTransactionView>> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const { userId, ...rest } = query ?? {};
    if (userId !== undefined && !isUuid(userId)) {
      throw new DomainError('VALIDATION_FAILED', 'The transaction list query is invalid', { userId: 'must be a user id' });
    }
    const filter = transactionFilter(userId ?? null, rest);
    const { rows, total } = await this.transactions.list(filter);
    return { items: await this.views(rows), total, limit: filter.limit, offset: filter.offset };
  }

  async get(actor: Actor, transactionId: string): Promise<AdminTransactionDetailView> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const row = isUuid(transactionId) ? await this.transactions.findById(transactionId) : undefined;
    if (!row) throw new DomainError('NOT_FOUND', 'Transaction not found');
    // A transfer's entries carry the sender's row id; the receiver's row links to it.
    const entryTransactionId = row.linked_transaction_id ?? row.id;
    const [entries, postings, related]: [EntryRow[], PostingRow[], TransactionRow[]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, kind, phase, pending_entry_id, description, metadata, created_at FROM ledger.journal_entries
          WHERE transaction_id = $1 ORDER BY created_at, id`,
        [entryTransactionId],
      ),
      this.dataSource.query(
        `SELECT p.entry_id, p.account_id, a.code, a.type, a.owner_id, p.direction, p.amount::text AS amount, trim(p.currency) AS currency
           FROM ledger.postings p JOIN ledger.journal_entries e ON e.id = p.entry_id JOIN ledger.accounts a ON a.id = p.account_id
          WHERE e.transaction_id = $1 ORDER BY p.id`,
        [entryTransactionId],
      ),
      this.dataSource.query(
        `SELECT * FROM ledger.transactions
          WHERE id <> $1 AND (id = $2 OR linked_transaction_id = $1 OR original_transaction_id = $1 OR id = $3)
          ORDER BY created_at, id`,
        [row.id, row.linked_transaction_id, row.original_transaction_id],
      ),
    ]);
    const [transaction, ...others] = await this.views([row, ...related]);
    return {
      transaction,
      journalEntries: entries.map((e) =>
        toEntryView(
          e,
          postings.filter((p) => p.entry_id === e.id),
        ),
      ),
      related: others,
    };
  }

  /** The rows as admins see them; imported history with its import, row and booking time. */
  private async views(rows: TransactionRow[]): Promise<AdminTransactionView[]> {
    const imported: { transaction_id: string; import_id: string; row_index: number; booked_at: Date }[] = rows.length
      ? await this.dataSource.query(
          `SELECT transaction_id, import_id, row_index, booked_at FROM ledger.imported_transactions WHERE transaction_id = ANY ($1::uuid[])`,
          [rows.map((r) => r.id)],
        )
      : [];
    const byId = new Map(imported.map((i) => [i.transaction_id, i]));
    return rows.map((row) => {
      const view: AdminTransactionView = { ...toStaffTransactionView(row), userId: row.user_id };
      const i = byId.get(row.id);
      if (i)
        Object.assign(view, {
          imported: true,
          occurredAt: view.createdAt,
          importId: i.import_id,
          importRow: i.row_index,
          bookedAt: new Date(i.booked_at).toISOString(),
        });
      return view;
    });
  }
}

function toEntryView(entry: EntryRow, postings: PostingRow[]): JournalEntryView {
  return {
    id: entry.id,
    kind: entry.kind,
    phase: entry.phase,
    pendingEntryId: entry.pending_entry_id,
    description: entry.description,
    metadata: entry.metadata,
    createdAt: new Date(entry.created_at).toISOString(),
    postings: postings.map((p) => ({
      accountId: p.account_id,
      accountCode: p.code,
      accountType: p.type,
      ownerId: p.owner_id,
      direction: p.direction,
      amount: formatAmount(BigInt(p.amount), p.currency),
      currency: p.currency,
    })),
  };
}
