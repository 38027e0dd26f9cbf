import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  Actor,
  ADMIN_READ_ROLES,
  DomainError,
  eventProblems,
  isUuid,
  replayedOnLedgerReplay,
  ReplayPayload,
  ReplayRunView,
  RequestOrigin,
  requireRole,
  Topics,
  uuidv7,
} from '@tally/contracts';
import { Messaging, recordAdminAction } from '@tally/messaging';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { parsePastInstant } from '../reports/past-instant';
import { TransactionRow } from '../transactions/transactions.repository';
import { ReplayEntry, ReplayEvent, replayEventForEntry, replayEventForWallet, ReplayWallet } from './replay-events';

interface ReplayRunRow {
  id: string;
  status: 'running' | 'completed';
  from_time: Date | null;
  to_time: Date;
  cursor_created_at: Date | null;
  cursor_source: number | null;
  /** Times as Postgres text, so cursors keep their microseconds (a JS Date would drop them). */
  cursor_text: string | null;
  from_text: string | null;
  to_text: string;
  cursor_id: string | null;
  wallets_replayed: string;
  entries_replayed: string;
  events_written: string;
  created_at: Date;
  completed_at: Date | null;
}

/** Position in journal order: wallets (source 0) before entries (source 1) of the same instant. */
interface ReplayItem {
  created_at: string;
  source: 0 | 1;
  id: string;
}

export interface ReplayStepOptions {
  /** Wallets and entries per chunk (one database transaction each). */
  chunkSize?: number;
  /** Replay waits while this many of its events are still unpublished, so live events are not queued behind millions. */
  maxBacklog?: number;
  /** Entries younger than this are not replayed yet: a transaction that started earlier may still commit. */
  settleMs?: number;
}

/**
 * Journal replay: publishes the ledger's events again, rebuilt from the journal and the transaction
 * rows in journal order (entry time, then id), to the dedicated topic ledger.replay. Live consumers
 * never see it, so nothing is applied twice or notified again; a projection being rebuilt reads
 * ledger.replay (a fresh consumer group) and ledger.events into one inbox. Every replayed event
 * carries the id its live twin had (ledgerEventId of the entry and the type), so the overlap is
 * deduped and every transaction is applied once. The range is fixed when asked for (`to` defaults
 * to now) and written through the outbox a chunk at a time, each chunk committed with the run's
 * cursor: durable, ordered, and resumed after a restart.
 */
@Injectable()
export class JournalReplayService {
  private readonly logger = new Logger('JournalReplay');

  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyRepository,
    private readonly messaging: Messaging,
  ) {}

  async start(actor: Actor, input: ReplayPayload, idempotencyKey: string, origin: RequestOrigin = {}, now = new Date()): Promise<ReplayRunView> {
    requireRole(actor, 'admin');
    const from = input.from === undefined || input.from === null ? null : parsePastInstant('from', input.from, now);
    const to = input.to === undefined || input.to === null ? { at: now, text: now.toISOString() } : parsePastInstant('to', input.to, now);
    if (from && from.at.getTime() >= to.at.getTime()) {
      throw new DomainError('VALIDATION_FAILED', 'from must be before to', { from: input.from, to: input.to ?? to.text });
    }
    const scope = `user:${actor.userId}`;
    const hash = requestHash('ledger.replay.start', { from: input.from ?? null, to: input.to ?? null });
    const started = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'ledger.replay.start', hash);
      if (claim.replay) return claim.response as ReplayRunView;
      const rows: ReplayRunRow[] = await manager.query(
        `INSERT INTO ledger.replay_runs (id, requested_by, from_time, to_time) VALUES ($1, $2, $3::timestamptz, $4::timestamptz) RETURNING *`,
        [uuidv7(), actor.userId, from?.text ?? null, to.text],
      );
      const view = toView(rows[0]);
      await recordAdminAction(manager, 'ledger', {
        actorId: actor.userId,
        action: 'ledger.replay.started',
        targetType: 'replay_run',
        targetId: view.id,
        origin,
        details: { from: view.from, to: view.to },
      });
      await this.idempotency.complete(manager, scope, idempotencyKey, view);
      return view;
    });
    this.messaging.published();
    return started;
  }

  async get(actor: Actor, runId: string): Promise<ReplayRunView> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const rows: ReplayRunRow[] = isUuid(runId) ? await this.dataSource.query(`SELECT * FROM ledger.replay_runs WHERE id = $1`, [runId]) : [];
    if (rows.length === 0) throw new DomainError('NOT_FOUND', 'Replay run not found');
    return toView(rows[0]);
  }

  /** Writes the next chunk of the oldest running replay; false when there was nothing to do now. */
  async step(options: ReplayStepOptions = {}): Promise<boolean> {
    const chunkSize = options.chunkSize ?? 500;
    const maxBacklog = options.maxBacklog ?? 5000;
    const settleMs = options.settleMs ?? 5000;
    const wrote = await this.dataSource.transaction(async (manager) => {
      const runs: ReplayRunRow[] = await manager.query(
        `SELECT *, cursor_created_at::text AS cursor_text, from_time::text AS from_text, to_time::text AS to_text
           FROM ledger.replay_runs WHERE status = 'running' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const run = runs[0];
      if (!run) return false;
      if (Number.isFinite(maxBacklog)) {
        const backlog: { n: number }[] = await manager.query(
          `SELECT count(*)::int AS n FROM (SELECT 1 FROM ledger.outbox WHERE published_at IS NULL AND topic = $1 LIMIT $2) b`,
          [Topics.ledgerReplay, maxBacklog],
        );
        if (backlog[0].n >= maxBacklog) return false;
      }
      const horizon: { at: string; reached: boolean }[] = await manager.query(
        `SELECT least($1::timestamptz, clock_timestamp() - make_interval(secs => $2))::text AS at,
                $1::timestamptz <= clock_timestamp() - make_interval(secs => $2) AS reached`,
        [run.to_text, settleMs / 1000],
      );
      const items = await nextItems(manager, run, horizon[0].at, chunkSize);
      if (items.length === 0) {
        if (!horizon[0].reached) return false;
        await manager.query(`UPDATE ledger.replay_runs SET status = 'completed', completed_at = now(), updated_at = now() WHERE id = $1`, [run.id]);
        return true;
      }
      const events = await this.eventsFor(manager, items);
      await writeReplayEvents(manager, events);
      const last = items[items.length - 1];
      const walletCount = items.filter((i) => i.source === 0).length;
      await manager.query(
        `UPDATE ledger.replay_runs
            SET cursor_created_at = $2::timestamptz, cursor_source = $3, cursor_id = $4,
                wallets_replayed = wallets_replayed + $5, entries_replayed = entries_replayed + $6,
                events_written = events_written + $7, updated_at = now()
          WHERE id = $1`,
        [run.id, last.created_at, last.source, last.id, walletCount, items.length - walletCount, events.length],
      );
      return true;
    });
    if (wrote) this.messaging.published();
    return wrote;
  }

  private async eventsFor(manager: EntityManager, items: ReplayItem[]): Promise<ReplayEvent[]> {
    const walletIds = items.filter((i) => i.source === 0).map((i) => i.id);
    const entryIds = items.filter((i) => i.source === 1).map((i) => i.id);
    const wallets: ReplayWallet[] = walletIds.length
      ? await manager.query(`SELECT id, wallet_number, user_id, currency, created_at FROM ledger.wallets WHERE id = ANY($1::uuid[])`, [walletIds])
      : [];
    const entries: (ReplayEntry & { transaction_id: string })[] = entryIds.length
      ? await manager.query(
          `SELECT e.id, e.transaction_id, e.kind, e.phase, e.metadata, e.created_at,
                  (SELECT p.account_id FROM ledger.postings p WHERE p.entry_id = e.id AND p.direction = 'D' ORDER BY p.id LIMIT 1) AS first_debit_account,
                  (SELECT p.account_id FROM ledger.postings p WHERE p.entry_id = e.id AND p.direction = 'C' ORDER BY p.id LIMIT 1) AS first_credit_account
             FROM ledger.journal_entries e WHERE e.id = ANY($1::uuid[])`,
          [entryIds],
        )
      : [];
    const txIds = [...new Set(entries.map((e) => e.transaction_id))];
    const transactions: (TransactionRow & { wallet_account_id: string })[] = txIds.length
      ? await manager.query(
          `SELECT t.*, w.account_id AS wallet_account_id FROM ledger.transactions t JOIN ledger.wallets w ON w.id = t.wallet_id
            WHERE t.id = ANY($1::uuid[])`,
          [txIds],
        )
      : [];
    const walletById = new Map(wallets.map((w) => [w.id, w]));
    const entryById = new Map(entries.map((e) => [e.id, e]));
    const txById = new Map(transactions.map((t) => [t.id, t]));
    const events: ReplayEvent[] = [];
    for (const item of items) {
      if (item.source === 0) {
        events.push(replayEventForWallet(walletById.get(item.id)!));
        continue;
      }
      const entry = entryById.get(item.id)!;
      const tx = txById.get(entry.transaction_id);
      if (!tx) {
        // Every entry the ledger writes belongs to a transaction row; one without was never announced either.
        this.logger.warn({ msg: 'journal entry without a transaction row; nothing to replay', entryId: entry.id });
        continue;
      }
      events.push(replayEventForEntry(entry, tx, tx.wallet_account_id));
    }
    return events;
  }
}

/** The next wallets and entries after the run's cursor, merged in journal order, up to the horizon. */
async function nextItems(manager: EntityManager, run: ReplayRunRow, horizon: string, limit: number): Promise<ReplayItem[]> {
  // With no cursor yet, start just before the range: source -1 sorts before both kinds.
  const cursor = run.cursor_text
    ? [run.cursor_text, run.cursor_source, run.cursor_id]
    : [run.from_text ?? '-infinity', -1, '00000000-0000-0000-0000-000000000000'];
  const rows: { at: string; source: number; id: string }[] = await manager.query(
    `SELECT created_at::text AS at, source, id FROM (
       (SELECT created_at, 0 AS source, id FROM ledger.wallets
         WHERE created_at >= $1::timestamptz AND (created_at, 0, id) > ($1::timestamptz, $2::int, $3::uuid) AND created_at < $4::timestamptz
         ORDER BY created_at, id LIMIT $5)
       UNION ALL
       (SELECT created_at, 1 AS source, id FROM ledger.journal_entries
         WHERE created_at >= $1::timestamptz AND (created_at, 1, id) > ($1::timestamptz, $2::int, $3::uuid) AND created_at < $4::timestamptz
         ORDER BY created_at, id LIMIT $5)
     ) merged
     ORDER BY created_at, source, id LIMIT $5`,
    [...cursor, horizon, limit],
  );
  return rows.map((r) => ({ created_at: r.at, source: Number(r.source) as 0 | 1, id: r.id }));
}

/**
 * Writes a chunk of replayed events to the outbox in order, on ledger.replay. The outbox row gets a
 * fresh id (the live event may still sit in the outbox under its id); the envelope keeps the event's
 * own id, which is what consumers dedupe on.
 */
async function writeReplayEvents(manager: EntityManager, events: ReplayEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(({ contract, envelope }) => {
    const onReplay = replayedOnLedgerReplay(contract);
    const problems = eventProblems(onReplay, envelope);
    if (problems.length > 0) throw new Error(`Refusing to replay invalid ${envelope.type} ${envelope.id}: ${problems.join('; ')}`);
    return { id: uuidv7(), topic: onReplay.topic, key: envelope.subject, payload: JSON.stringify(envelope) };
  });
  await manager.query(
    `INSERT INTO ledger.outbox (id, topic, key, payload, headers)
     SELECT r.id, r.topic, r.key, r.payload, '{}'::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS r (id, topic, key, payload, n)
      ORDER BY r.n`,
    [rows.map((r) => r.id), rows.map((r) => r.topic), rows.map((r) => r.key), rows.map((r) => r.payload)],
  );
}

function toView(row: ReplayRunRow): ReplayRunView {
  return {
    id: row.id,
    status: row.status,
    topic: Topics.ledgerReplay,
    from: row.from_time ? new Date(row.from_time).toISOString() : null,
    to: new Date(row.to_time).toISOString(),
    walletsReplayed: Number(row.wallets_replayed),
    entriesReplayed: Number(row.entries_replayed),
    eventsWritten: Number(row.events_written),
    requestedAt: new Date(row.created_at).toISOString(),
    ...(row.completed_at ? { completedAt: new Date(row.completed_at).toISOString() } : {}),
  };
}
