import type { LoggerService } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { returningRows } from '@tally/database';
import { outboxFailures, outboxPublished } from '@tally/observability';

interface ClaimedRow {
  seq: string;
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  headers: Record<string, string>;
  attempts: number;
}

export interface OutboxRelayOptions {
  batchSize?: number;
  /** How long to sleep when the outbox is empty (a nudge or a NOTIFY wakes it sooner). */
  idleMs?: number;
  /** How long a claimed batch stays leased to this relay. */
  leaseSeconds?: number;
  /** How long published rows are kept before cleanup. */
  retainHours?: number;
  /** How often a replica that is not publishing asks again to be the one that does. */
  standbyMs?: number;
}

/**
 * Publishes outbox rows to Kafka, in `seq` order. One relay per service schema publishes at a time
 * (a session advisory lock on a connection of its own): with several replicas, two relays sending
 * overlapping batches could reorder one key's events; with one, a key's events reach its partition
 * in the order they were committed. The others stand by and take over when its connection ends
 * (after the leases it left run out, so nothing it was still sending is overtaken).
 *
 * It wakes when told: `nudge()` after a commit in this process, and a NOTIFY on the schema's channel
 * from any other replica's commit (`announce()`); otherwise it looks every `idleMs`. Rows are marked
 * published after the broker acked them; a crash between send and mark sends them again, and
 * consumers dedupe on the event id.
 */
export class OutboxRelay {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private pending = false;
  private lastCleanup = 0;
  private leader: QueryRunner | undefined;
  private readonly table: string;
  private readonly channel: string;
  private readonly lockKey: string;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly leaseSeconds: number;
  private readonly retainHours: number;
  private readonly standbyMs: number;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
    private readonly producer: Producer,
    private readonly logger: LoggerService,
    options: OutboxRelayOptions = {},
  ) {
    this.table = `"${schema}".outbox`;
    this.channel = `tally_outbox_${schema}`;
    this.lockKey = `tally outbox relay ${schema}`;
    this.batchSize = options.batchSize ?? 500;
    this.idleMs = options.idleMs ?? 250;
    this.leaseSeconds = options.leaseSeconds ?? 10;
    this.retainHours = options.retainHours ?? 24;
    this.standbyMs = options.standbyMs ?? 1000;
  }

  /** Whether this relay is the one publishing now. */
  get publishing(): boolean {
    return this.leader !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Called after a commit that wrote to the outbox, so events leave without waiting for the poll. */
  nudge(): void {
    this.pending = true;
    this.wake?.();
  }

  /** After a commit that wrote events: wakes this relay, and the publishing one if it is another replica's. */
  announce(): void {
    this.nudge();
    if (this.publishing) return;
    void this.dataSource.query(`SELECT pg_notify($1, '')`, [this.channel]).catch(() => undefined);
  }

  /** Stops, then publishes what is left if it is the publishing relay (bounded by timeoutMs), and steps down. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge();
    await this.loopDone;
    const deadline = Date.now() + timeoutMs;
    try {
      while (this.publishing && Date.now() < deadline && (await this.publishBatch()) > 0) {
        // keep flushing
      }
    } catch (err) {
      this.logger.warn({ msg: 'outbox flush on shutdown stopped early', error: (err as Error).message }, 'OutboxRelay');
    }
    await this.stepDown();
  }

  /** Claims and publishes one batch; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    const claimed = returningRows<ClaimedRow>(
      await this.dataSource.query(
        `UPDATE ${this.table} SET locked_until = now() + make_interval(secs => $2), attempts = attempts + 1
          WHERE seq IN (
            SELECT seq FROM ${this.table}
             WHERE published_at IS NULL AND (locked_until IS NULL OR locked_until < now())
             ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING seq, id, topic, key, payload, headers, attempts`,
        [this.batchSize, this.leaseSeconds],
      ),
    );
    if (claimed.length === 0) return 0;
    const rows = claimed.map((r) => ({ ...r, seq: BigInt(r.seq) })).sort((a, b) => (a.seq < b.seq ? -1 : 1));
    const seqs = rows.map((r) => r.seq.toString());
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      const type = (row.payload as { type?: unknown })?.type;
      messages.push({
        key: row.key,
        value: JSON.stringify(row.payload),
        headers: { ...row.headers, 'event-id': row.id, ...(typeof type === 'string' ? { 'event-type': type } : {}) },
      });
      byTopic.set(row.topic, messages);
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      outboxFailures.inc();
      const maxAttempts = Math.max(...rows.map((r) => r.attempts));
      const backoffSeconds = Math.min(30, 0.2 * 2 ** Math.min(maxAttempts, 8));
      await this.dataSource.query(`UPDATE ${this.table} SET locked_until = now() + make_interval(secs => $2), last_error = $3 WHERE seq = ANY($1::bigint[])`, [
        seqs,
        backoffSeconds,
        (err as Error).message.slice(0, 500),
      ]);
      throw err;
    }
    await this.dataSource.query(`UPDATE ${this.table} SET published_at = now(), locked_until = NULL, last_error = NULL WHERE seq = ANY($1::bigint[])`, [seqs]);
    for (const [topic, messages] of byTopic) outboxPublished.inc({ topic }, messages.length);
    return rows.length;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (!this.publishing && !(await this.becomeLeader())) {
        await this.sleep(this.standbyMs);
        continue;
      }
      let published = 0;
      this.pending = false;
      try {
        published = await this.publishBatch();
        failures = 0;
        await this.cleanupIfDue();
      } catch (err) {
        failures++;
        // Logged once per outage, not once per poll.
        if (failures === 1) {
          this.logger.warn({ msg: 'outbox publish failed; will retry', error: (err as Error).message }, 'OutboxRelay');
        }
        if (!(await this.stillLeader())) await this.stepDown();
      }
      if (published === 0 && this.running && !this.pending) {
        await this.sleep(failures > 0 ? Math.min(5000, this.idleMs * 2 ** failures) : this.idleMs);
      }
    }
  }

  /**
   * Takes the schema's relay lock on a connection of its own and listens on its channel. A relay
   * that held it before may have died mid-send: its leases are waited out first, so a row it was
   * sending is never overtaken by a later one.
   */
  private async becomeLeader(): Promise<boolean> {
    let runner: QueryRunner | undefined;
    try {
      runner = this.dataSource.createQueryRunner();
      const client = (await runner.connect()) as PoolClient;
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [this.lockKey]);
      if (!locked) {
        await runner.release();
        return false;
      }
      client.on('notification', () => this.nudge());
      await runner.query(`LISTEN ${this.channel}`);
      const [{ wait }] = await runner.query(
        `SELECT coalesce(extract(epoch FROM max(locked_until) - now()), 0)::float AS wait FROM ${this.table} WHERE published_at IS NULL AND locked_until > now()`,
      );
      this.leader = runner;
      // Not cut short by a nudge: the point is to let the previous relay's sends land first.
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait * 1000)));
      this.logger.log({ msg: 'outbox relay publishing', schema: this.table }, 'OutboxRelay');
      return true;
    } catch {
      await runner?.release().catch(() => undefined);
      return false;
    }
  }

  private async stillLeader(): Promise<boolean> {
    try {
      await this.leader?.query('SELECT 1');
      return this.leader !== undefined;
    } catch {
      return false;
    }
  }

  private async stepDown(): Promise<void> {
    const runner = this.leader;
    this.leader = undefined;
    if (!runner) return;
    try {
      await runner.query(`UNLISTEN *`);
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [this.lockKey]);
    } catch {
      // The connection is gone, and the lock with it.
    }
    await runner.release().catch(() => undefined);
  }

  private async cleanupIfDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE published_at < now() - make_interval(hours => $1)`, [this.retainHours]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
