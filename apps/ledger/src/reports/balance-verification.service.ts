import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, ADMIN_READ_ROLES, BalanceDifference, DomainError, isUuid, RequestOrigin, requireRole, uuidv7, VerificationRunView } from '@tally/contracts';
import { recordAdminAction } from '@tally/messaging';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { MAX_KEPT_DIFFERENCES, verifyBalancesChunk } from './balance-verification';

interface VerificationRunRow {
  id: string;
  status: 'running' | 'completed';
  cursor_account_id: string | null;
  checked_accounts: string;
  difference_count: string;
  differences: BalanceDifference[];
  created_at: Date;
  completed_at: Date | null;
}

/**
 * Recomputes every balance row from the postings and reports each difference. Asked for by an admin,
 * it runs in the background (AdminRunsWorker) a chunk of accounts at a time, each chunk committed
 * with the run's cursor, so a long check never holds a command consumer and resumes after a restart.
 */
@Injectable()
export class BalanceVerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyRepository,
  ) {}

  async start(actor: Actor, idempotencyKey: string, origin: RequestOrigin = {}): Promise<VerificationRunView> {
    requireRole(actor, 'admin');
    const scope = `user:${actor.userId}`;
    const hash = requestHash('ledger.verification.start', {});
    return runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'ledger.verification.start', hash);
      if (claim.replay) return claim.response as VerificationRunView;
      const rows: VerificationRunRow[] = await manager.query(`INSERT INTO ledger.verification_runs (id, requested_by) VALUES ($1, $2) RETURNING *`, [
        uuidv7(),
        actor.userId,
      ]);
      const view = toView(rows[0]);
      await recordAdminAction(manager, 'ledger', {
        actorId: actor.userId,
        action: 'ledger.verification.started',
        targetType: 'verification_run',
        targetId: view.id,
        origin,
      });
      await this.idempotency.complete(manager, scope, idempotencyKey, view);
      return view;
    });
  }

  async get(actor: Actor, runId: string): Promise<VerificationRunView> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const rows: VerificationRunRow[] = isUuid(runId) ? await this.dataSource.query(`SELECT * FROM ledger.verification_runs WHERE id = $1`, [runId]) : [];
    if (rows.length === 0) throw new DomainError('NOT_FOUND', 'Verification run not found');
    return toView(rows[0]);
  }

  /** Checks the next chunk of the oldest running verification; false when none is running. */
  async step(chunkSize = 2000): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const runs: VerificationRunRow[] = await manager.query(
        `SELECT * FROM ledger.verification_runs WHERE status = 'running' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const run = runs[0];
      if (!run) return false;
      const chunk = await verifyBalancesChunk(manager, run.cursor_account_id, chunkSize);
      const room = Math.max(0, MAX_KEPT_DIFFERENCES - run.differences.length);
      await manager.query(
        `UPDATE ledger.verification_runs
            SET cursor_account_id = coalesce($2, cursor_account_id),
                checked_accounts = checked_accounts + $3,
                difference_count = difference_count + $4,
                differences = differences || $5::jsonb,
                status = CASE WHEN $6 THEN 'completed' ELSE status END,
                completed_at = CASE WHEN $6 THEN now() END,
                updated_at = now()
          WHERE id = $1`,
        [run.id, chunk.lastAccountId, chunk.accounts, chunk.differences.length, JSON.stringify(chunk.differences.slice(0, room)), chunk.accounts < chunkSize],
      );
      return true;
    });
  }
}

function toView(row: VerificationRunRow): VerificationRunView {
  const completed = row.status === 'completed';
  const differenceCount = Number(row.difference_count);
  return {
    id: row.id,
    status: row.status,
    checkedAccounts: Number(row.checked_accounts),
    differences: row.differences,
    differenceCount,
    ok: completed ? differenceCount === 0 : null,
    requestedAt: new Date(row.created_at).toISOString(),
    ...(row.completed_at ? { completedAt: new Date(row.completed_at).toISOString() } : {}),
  };
}
