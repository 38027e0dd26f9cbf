import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@tally/contracts';
import { returningRows } from '@tally/database';
import { Messaging, recordAdminAction } from '@tally/messaging';
import { AccountsRepository } from '../accounts/accounts.repository';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { PostingKernel } from '../posting/posting-kernel';
import { ImportRowPlan } from './import-entries';
import { ImportAccounts, importRowCommand } from './import-booking';

/** Rows of one import booked per step (one lock of the import row, one report update per row). */
const CHUNK = 25;
/** Imports booked side by side: different users' wallets, so their rows share the kernel's batches. */
const PARALLEL_IMPORTS = 4;

interface PendingRow {
  index: number;
  plan: ImportRowPlan;
}

/**
 * Books the accepted rows of open imports through the posting kernel, in the order they happened
 * (occurred_at, then their place in the import), one after another within an import, so a salary
 * is in before the purchases it pays for. Each chunk holds its import's row lock (SKIP LOCKED: a
 * replica takes another import) and writes the report of every row it booked; a row whose booking
 * committed but whose report did not (a crash between) is answered again by its Idempotency-Key.
 * AdminRunsWorker calls step() in its background loop, beside verifications and replays.
 */
@Injectable()
export class ImportPoster {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kernel: PostingKernel,
    private readonly accounts: AccountsRepository,
    private readonly messaging: Messaging,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** Books the next chunk of up to PARALLEL_IMPORTS open imports; false when none is open. */
  async step(): Promise<boolean> {
    const open: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM ledger.imports WHERE status <> 'completed' ORDER BY created_at, id LIMIT ${PARALLEL_IMPORTS}`,
    );
    const worked = await Promise.all(open.map((i) => this.bookChunk(i.id)));
    return worked.some(Boolean);
  }

  private async bookChunk(importId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [locked]: { id: string; requested_by: string }[] = await manager.query(
        // NO KEY UPDATE: the kernel's bookings reference the import (KEY SHARE) while this lock is held.
        `SELECT id, requested_by FROM ledger.imports WHERE id = $1 AND status <> 'completed' FOR NO KEY UPDATE SKIP LOCKED`,
        [importId],
      );
      if (!locked) return false;
      const rows: PendingRow[] = await manager.query(
        `SELECT index, plan FROM ledger.import_rows WHERE import_id = $1 AND status = 'pending' ORDER BY occurred_at, index LIMIT ${CHUNK}`,
        [importId],
      );
      for (const row of rows) await this.bookRow(manager, importId, row);
      const [left]: { n: number }[] = await manager.query(`SELECT count(*)::int AS n FROM ledger.import_rows WHERE import_id = $1 AND status = 'pending'`, [
        importId,
      ]);
      const [summary] = returningRows<{ posted: number; failed: number; total: number; accepted: number }>(
        await manager.query(
          `UPDATE ledger.imports i
            SET posted = c.posted, failed = c.failed, status = CASE WHEN $2 THEN 'completed' ELSE 'running' END,
                completed_at = CASE WHEN $2 THEN now() END, updated_at = now()
           FROM (SELECT count(*) FILTER (WHERE status = 'posted')::int AS posted, count(*) FILTER (WHERE status = 'failed')::int AS failed
                   FROM ledger.import_rows WHERE import_id = $1) c
          WHERE i.id = $1 RETURNING i.posted, i.failed, i.total, i.accepted`,
          [importId, left.n === 0],
        ),
      );
      if (left.n === 0) {
        await recordAdminAction(manager, 'ledger', {
          actorId: locked.requested_by,
          action: 'ledger.import.completed',
          targetType: 'import',
          targetId: importId,
          details: { total: summary.total, accepted: summary.accepted, posted: summary.posted, failed: summary.failed },
        });
        this.messaging.published();
      }
      return rows.length > 0;
    });
  }

  /** Books one row and writes its report: posted with its transaction, or failed with the ledger's refusal. */
  private async bookRow(manager: EntityManager, importId: string, row: PendingRow): Promise<void> {
    const { plan } = row;
    try {
      const purchaseId = plan.type === 'refund' ? await this.purchaseOf(manager, importId, plan) : undefined;
      const accounts: ImportAccounts = {
        funding: await this.accounts.systemAccount('funding', plan.currency),
        merchantSettlement: await this.accounts.systemAccount('merchant_settlement', plan.currency),
        feeRevenue: await this.accounts.feeRevenueAccount(plan.currency),
      };
      const booked = await this.kernel.submit(importRowCommand({ importId, index: row.index, plan, purchaseId }, accounts, this.config));
      await manager.query(
        `UPDATE ledger.import_rows SET status = 'posted', transaction_id = $3, error = NULL, updated_at = now() WHERE import_id = $1 AND index = $2`,
        [importId, row.index, booked.id],
      );
    } catch (err) {
      const refusal = err instanceof DomainError || typeof (err as { code?: unknown })?.code === 'string';
      if (!refusal || (err as DomainError).code === 'SERVICE_UNAVAILABLE') throw err;
      const e = err as DomainError;
      await manager.query(`UPDATE ledger.import_rows SET status = 'failed', error = $3, updated_at = now() WHERE import_id = $1 AND index = $2`, [
        importId,
        row.index,
        JSON.stringify({ code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) }),
      ]);
    }
  }

  /** A refund's purchase: the transaction an earlier row of this import booked, or the one it names. */
  private async purchaseOf(manager: EntityManager, importId: string, plan: ImportRowPlan): Promise<string> {
    if (plan.refundOfTransactionId) return plan.refundOfTransactionId;
    const [earlier]: { status: string; transaction_id: string | null }[] = await manager.query(
      `SELECT status, transaction_id FROM ledger.import_rows WHERE import_id = $1 AND index = $2`,
      [importId, plan.refundOfIndex],
    );
    if (!earlier?.transaction_id)
      throw new DomainError('NOT_FOUND', `The purchase of row ${plan.refundOfIndex} was not booked (${earlier?.status ?? 'missing'})`);
    return earlier.transaction_id;
  }
}
