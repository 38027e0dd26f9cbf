import type { LoggerService } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
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
  /** How long to sleep when the outbox is empty (a nudge wakes it sooner). */
  idleMs?: number;
  /** How long a claimed batch stays leased to this relay. */
  leaseSeconds?: number;
  /** How long published rows are kept before cleanup. */
  retainHours?: number;
}

/**
 * Publishes outbox rows to Kafka. Rows are claimed with a lease (FOR UPDATE SKIP LOCKED, so
 * replicas share the work), sent in sequence order, and marked published after the broker acked.
 * A crash between send and mark re-sends the rows: consumers dedupe on the event id.
 */
export class OutboxRelay {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private lastCleanup = 0;
  private readonly table: string;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly leaseSeconds: number;
  private readonly retainHours: number;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
    private readonly producer: Producer,
    private readonly logger: LoggerService,
    options: OutboxRelayOptions = {},
  ) {
    this.table = `"${schema}".outbox`;
    this.batchSize = options.batchSize ?? 200;
    this.idleMs = options.idleMs ?? 250;
    this.leaseSeconds = options.leaseSeconds ?? 30;
    this.retainHours = options.retainHours ?? 24;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Called after a commit that wrote to the outbox, so events leave without waiting for the poll. */
  nudge(): void {
    this.wake?.();
  }

  /** Stops polling, then publishes what is left (bounded by timeoutMs). */
  async stop(timeoutMs = 5000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge();
    await this.loopDone;
    const deadline = Date.now() + timeoutMs;
    try {
      while (Date.now() < deadline && (await this.publishBatch()) > 0) {
        // keep flushing
      }
    } catch (err) {
      this.logger.warn({ msg: 'outbox flush on shutdown stopped early', error: (err as Error).message }, 'OutboxRelay');
    }
  }

  /** Claims and publishes one batch; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    const claimed = returningRows<ClaimedRow>(await this.dataSource.query(
      `UPDATE ${this.table} SET locked_until = now() + make_interval(secs => $2), attempts = attempts + 1
        WHERE seq IN (
          SELECT seq FROM ${this.table}
           WHERE published_at IS NULL AND (locked_until IS NULL OR locked_until < now())
           ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING seq, id, topic, key, payload, headers, attempts`,
      [this.batchSize, this.leaseSeconds],
    ));
    if (claimed.length === 0) return 0;
    const rows = claimed.map((r) => ({ ...r, seq: BigInt(r.seq) })).sort((a, b) => (a.seq < b.seq ? -1 : 1));
    const seqs = rows.map((r) => r.seq.toString());
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({
        key: row.key,
        value: JSON.stringify(row.payload),
        headers: { ...row.headers, 'event-id': row.id },
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
      await this.dataSource.query(
        `UPDATE ${this.table} SET locked_until = now() + make_interval(secs => $2), last_error = $3 WHERE seq = ANY($1::bigint[])`,
        [seqs, backoffSeconds, (err as Error).message.slice(0, 500)],
      );
      throw err;
    }
    await this.dataSource.query(
      `UPDATE ${this.table} SET published_at = now(), locked_until = NULL, last_error = NULL WHERE seq = ANY($1::bigint[])`,
      [seqs],
    );
    for (const [topic, messages] of byTopic) outboxPublished.inc({ topic }, messages.length);
    return rows.length;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
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
      }
      if (published === 0 && this.running) {
        await this.sleep(failures > 0 ? Math.min(5000, this.idleMs * 2 ** failures) : this.idleMs);
      }
    }
  }

  private async cleanupIfDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(
      `DELETE FROM ${this.table} WHERE published_at < now() - make_interval(hours => $1)`,
      [this.retainHours],
    );
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
