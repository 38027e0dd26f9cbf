import type { RequestOrigin } from './identity-commands';

/**
 * Admin bulk import of past transactions (api-v1 v1.1 `/v1/admin/imports`): history that happened
 * elsewhere, booked into Tally with the time it happened (occurredAt) beside the time it was booked.
 * The ledger checks every row when the import is submitted, keeps the import and a report per row,
 * and books the accepted rows in the order they happened, through the same checks as live money.
 */
export const IMPORT_ENTRY_TYPES = ['deposit', 'withdrawal', 'purchase', 'transfer', 'refund'] as const;
export type ImportEntryType = (typeof IMPORT_ENTRY_TYPES)[number];

/** At most this many rows per import (a body of this size stays under the gateway's BODY_LIMIT_KB default). */
export const MAX_IMPORT_ENTRIES = 500;

export interface ImportEntryInput {
  /** The row's own reference, unique in its import (a refund names its purchase by it). */
  ref?: string;
  type: string;
  /** The wallet the money leaves (withdrawal, purchase, transfer) or reaches (deposit, refund). */
  walletNumber: string;
  amount: string | number;
  /** When it happened: ISO 8601 with a zone, not in the future. */
  occurredAt: string;
  description?: string;
  /** purchase */
  merchantName?: string;
  merchantCategory?: string;
  /** transfer */
  toWalletNumber?: string;
  /** refund: the purchase refunded, as the ref of an earlier row of this import or an existing transaction's id. */
  refundOf?: string;
}

export interface CreateImportPayload extends RequestOrigin {
  description?: string;
  entries: ImportEntryInput[];
}

export type ImportRowStatus = 'rejected' | 'pending' | 'posted' | 'failed';

export interface ImportRowView {
  index: number;
  ref: string | null;
  type: string;
  occurredAt: string | null;
  status: ImportRowStatus;
  /** The transaction booked for it (a transfer: the sender's side). */
  transactionId: string | null;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
}

export type ImportStatus = 'queued' | 'running' | 'completed';

export interface ImportView {
  id: string;
  status: ImportStatus;
  description: string | null;
  total: number;
  /** Rows that passed the checks at submission (rejected = total - accepted). */
  accepted: number;
  rejected: number;
  posted: number;
  failed: number;
  requestedBy: string;
  createdAt: string;
  completedAt: string | null;
}

/** GET /v1/admin/imports/{id}: the import and a page of its rows' report. */
export interface ImportDetailView extends ImportView {
  rows: ImportRowView[];
  rowsTotal: number;
  limit: number;
  offset: number;
}

export interface ImportListQuery {
  status?: string;
  limit?: string | number;
  offset?: string | number;
}

export interface ImportRef {
  importId: string;
  /** Rows of the report: a status filter and list params. */
  rowStatus?: string;
  limit?: string | number;
  offset?: string | number;
}
