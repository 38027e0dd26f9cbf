import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  ADMIN_READ_ROLES,
  CreateImportPayload,
  DomainError,
  ImportDetailView,
  ImportListQuery,
  ImportRef,
  ImportRowView,
  ImportView,
  isUuid,
  Page,
  RequestOrigin,
  requireRole,
  uuidv7,
} from '@tally/contracts';
import { Messaging, recordAdminAction } from '@tally/messaging';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { FxRatesService } from '../fx/fx-rates.service';
import { checkBaseCurrencyMaximum, checkTransactionBounds } from '../limits/transaction-bounds';
import { checkImportEntries, checkImportShape, ImportWallet, walletNumbersOf } from './import-entries';

export interface ImportRow {
  id: string;
  requested_by: string;
  description: string | null;
  status: 'queued' | 'running' | 'completed';
  total: number;
  accepted: number;
  posted: number;
  failed: number;
  created_at: Date;
  completed_at: Date | null;
}

interface ImportRowRow {
  index: number;
  ref: string | null;
  type: string;
  occurred_at: Date | null;
  status: ImportRowView['status'];
  transaction_id: string | null;
  error: ImportRowView['error'];
}

const ROW_STATUSES = ['rejected', 'pending', 'posted', 'failed'];
const STATUSES = ['queued', 'running', 'completed'];

/**
 * Admin bulk imports: submitted (every row checked, the import and its rows stored, the action
 * audited, all in one transaction under the Idempotency-Key), listed and read with their per-row
 * report. Booking the accepted rows is ImportPoster's, in the background.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyRepository,
    private readonly messaging: Messaging,
    private readonly fx: FxRatesService,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async create(actor: Actor, payload: CreateImportPayload, idempotencyKey: string, origin: RequestOrigin = {}, now = new Date()): Promise<ImportView> {
    requireRole(actor, 'admin');
    checkImportShape(payload);
    const numbers = walletNumbersOf(payload.entries);
    const found: { id: string; wallet_number: string; user_id: string; currency: string }[] = numbers.length
      ? await this.dataSource.query(`SELECT id, wallet_number, user_id, trim(currency) AS currency FROM ledger.wallets WHERE wallet_number = ANY ($1)`, [
          numbers,
        ])
      : [];
    const wallets = new Map<string, ImportWallet>(
      found.map((w) => [w.wallet_number, { id: w.id, walletNumber: w.wallet_number, userId: w.user_id, currency: w.currency }]),
    );
    const rates = await this.fx.current();
    const rows = checkImportEntries(payload.entries, {
      now,
      wallets,
      checkBounds: (amount, currency) => {
        checkTransactionBounds(amount, currency, this.config.transactionBounds);
        checkBaseCurrencyMaximum(amount, currency, this.config.transactionBounds, rates);
      },
    });
    const accepted = rows.filter((r) => r.ok).length;
    const scope = `user:${actor.userId}`;
    const hash = requestHash('admin.import.create', { description: payload.description ?? null, entries: payload.entries });
    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'admin.import.create', hash);
      if (claim.replay) return claim.response as ImportView;
      const id = uuidv7();
      const [created]: ImportRow[] = await manager.query(
        `INSERT INTO ledger.imports (id, requested_by, description, total, accepted, status, completed_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 0 THEN 'completed' ELSE 'queued' END, CASE WHEN $5 = 0 THEN now() END) RETURNING *`,
        [id, actor.userId, payload.description ?? null, rows.length, accepted],
      );
      await manager.query(
        `INSERT INTO ledger.import_rows (import_id, index, ref, type, occurred_at, plan, status, error)
         SELECT $1, r.index, r.ref, r.type, r.occurred_at, r.plan, r.status, r.error
           FROM jsonb_to_recordset($2::jsonb) AS r (index integer, ref text, type text, occurred_at timestamptz, plan jsonb, status text, error jsonb)`,
        [
          id,
          JSON.stringify(
            rows.map((r) => ({
              index: r.index,
              ref: r.ref,
              type: r.type.slice(0, 40),
              occurred_at: r.ok ? r.plan.occurredAt : null,
              plan: r.ok ? r.plan : null,
              status: r.ok ? 'pending' : 'rejected',
              error: r.ok ? null : r.error,
            })),
          ),
        ],
      );
      await recordAdminAction(manager, 'ledger', {
        actorId: actor.userId,
        action: 'ledger.import.created',
        targetType: 'import',
        targetId: id,
        reason: payload.description ?? null,
        origin,
        details: { total: rows.length, accepted, rejected: rows.length - accepted },
      });
      const result = toImportView(created);
      await this.idempotency.complete(manager, scope, idempotencyKey, result);
      return result;
    });
    this.messaging.published();
    return view;
  }

  async list(actor: Actor, query: ImportListQuery): Promise<Page<ImportView>> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const { limit, offset } = page(query);
    const status = query?.status;
    if (status !== undefined && !STATUSES.includes(status))
      throw new DomainError('VALIDATION_FAILED', 'The list query is invalid', { status: `must be one of ${STATUSES.join(', ')}` });
    const [rows, counted]: [ImportRow[], { total: number }[]] = await Promise.all([
      this.dataSource.query(`SELECT * FROM ledger.imports WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, [
        status ?? null,
        limit,
        offset,
      ]),
      this.dataSource.query(`SELECT count(*)::int AS total FROM ledger.imports WHERE ($1::text IS NULL OR status = $1)`, [status ?? null]),
    ]);
    return { items: rows.map(toImportView), total: counted[0].total, limit, offset };
  }

  async get(actor: Actor, ref: ImportRef): Promise<ImportDetailView> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const [row]: ImportRow[] = isUuid(ref?.importId) ? await this.dataSource.query(`SELECT * FROM ledger.imports WHERE id = $1`, [ref.importId]) : [];
    if (!row) throw new DomainError('NOT_FOUND', 'Import not found');
    const { limit, offset } = page(ref, 500);
    const rowStatus = ref.rowStatus;
    if (rowStatus !== undefined && !ROW_STATUSES.includes(rowStatus)) {
      throw new DomainError('VALIDATION_FAILED', 'The report query is invalid', { rowStatus: `must be one of ${ROW_STATUSES.join(', ')}` });
    }
    const [rows, counted]: [ImportRowRow[], { total: number }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT index, ref, type, occurred_at, status, transaction_id, error FROM ledger.import_rows
          WHERE import_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY index LIMIT $3 OFFSET $4`,
        [row.id, rowStatus ?? null, limit, offset],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM ledger.import_rows WHERE import_id = $1 AND ($2::text IS NULL OR status = $2)`, [
        row.id,
        rowStatus ?? null,
      ]),
    ]);
    return {
      ...toImportView(row),
      rows: rows.map((r) => ({
        index: r.index,
        ref: r.ref,
        type: r.type,
        occurredAt: r.occurred_at ? new Date(r.occurred_at).toISOString() : null,
        status: r.status,
        transactionId: r.transaction_id,
        error: r.error,
      })),
      rowsTotal: counted[0].total,
      limit,
      offset,
    };
  }
}

function page(query: { limit?: string | number; offset?: string | number } | undefined, maxLimit = 100): { limit: number; offset: number } {
  const int = (raw: unknown, fallback: number) => (raw === undefined || raw === '' ? fallback : /^\d{1,7}$/.test(String(raw)) ? Number(raw) : NaN);
  const limit = int(query?.limit, 50);
  const offset = int(query?.offset, 0);
  const problems: Record<string, string> = {};
  if (!(limit >= 1 && limit <= maxLimit)) problems.limit = `must be a whole number from 1 to ${maxLimit}`;
  if (!(offset >= 0)) problems.offset = 'must be a whole number of at least 0';
  if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The list parameters are invalid', problems);
  return { limit, offset };
}

export function toImportView(row: ImportRow): ImportView {
  return {
    id: row.id,
    status: row.status,
    description: row.description,
    total: row.total,
    accepted: row.accepted,
    rejected: row.total - row.accepted,
    posted: row.posted,
    failed: row.failed,
    requestedBy: row.requested_by,
    createdAt: new Date(row.created_at).toISOString(),
    completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
  };
}
