import { Counter, Gauge, Histogram } from 'prom-client';
import { DomainError } from '@tally/contracts';
import { metricsRegistry } from '@tally/observability';

export interface HashingPoolOptions {
  /** The metrics label of this pool (hash: the KDF calls; credential_commands: whole credential commands). */
  name?: string;
  /** Hashes running at once; each holds its KDF's memory (19 MiB of argon2id, 128 MiB of a legacy scrypt check). */
  concurrency: number;
  /** Hashes allowed to wait; one more is refused at once (503) instead of piling up. */
  maxQueue: number;
  /** A hash that waited this long is dropped unrun: the caller's request has timed out by then. */
  maxWaitMs: number;
}

const running = new Gauge({ name: 'identity_password_pool_running', help: 'Tasks running now, per pool', labelNames: ['pool'], registers: [metricsRegistry] });
const queued = new Gauge({
  name: 'identity_password_pool_queued',
  help: 'Tasks waiting for a slot, per pool',
  labelNames: ['pool'],
  registers: [metricsRegistry],
});
const refused = new Counter({
  name: 'identity_password_pool_refused_total',
  help: 'Tasks refused without running, per pool and reason (queue_full, waited_too_long)',
  labelNames: ['pool', 'reason'],
  registers: [metricsRegistry],
});
const waited = new Histogram({
  name: 'identity_password_pool_wait_seconds',
  help: 'Time a task waited for a slot, per pool',
  labelNames: ['pool'],
  buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  registers: [metricsRegistry],
});

interface Waiter {
  enqueuedAt: number;
  start: () => void;
  refuse: (err: Error) => void;
}

export function passwordChecksBusy(): DomainError {
  return new DomainError('SERVICE_UNAVAILABLE', 'Too many sign-ins are being checked right now; retry in a moment', {
    reason: 'PASSWORD_CHECKS_BUSY',
    retryAfterSeconds: 1,
  });
}

/**
 * Runs memory-hard hashes a bounded number at a time. The KDFs themselves run on libuv's thread
 * pool (argon2 and scrypt are async native calls), so the event loop stays free for other commands;
 * this pool bounds how many run at once (memory: concurrency × one hash's memory) and how many may
 * wait. A full queue answers SERVICE_UNAVAILABLE at once: a flood of logins costs a fast refusal,
 * not a growing heap. Hand-written because p-limit/p-queue are ESM-only and this repo (and its
 * Jest) is CommonJS; it is one counter and one FIFO.
 */
export class HashingPool {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private readonly pool: string;

  constructor(private readonly options: HashingPoolOptions) {
    this.pool = options.name ?? 'hash';
  }

  get stats(): { running: number; queued: number } {
    return { running: this.active, queued: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.slot();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private slot(): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active++;
      running.set({ pool: this.pool }, this.active);
      waited.observe({ pool: this.pool }, 0);
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxQueue) {
      refused.inc({ pool: this.pool, reason: 'queue_full' });
      return Promise.reject(passwordChecksBusy());
    }
    return new Promise<void>((start, refuse) => {
      this.waiting.push({ enqueuedAt: Date.now(), start, refuse });
      queued.set({ pool: this.pool }, this.waiting.length);
    });
  }

  /** Hands the slot straight to the next waiter still worth running; those that waited too long are refused unrun. */
  private release(): void {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      queued.set({ pool: this.pool }, this.waiting.length);
      const wait = Date.now() - next.enqueuedAt;
      if (wait > this.options.maxWaitMs) {
        refused.inc({ pool: this.pool, reason: 'waited_too_long' });
        next.refuse(passwordChecksBusy());
        continue;
      }
      waited.observe({ pool: this.pool }, wait / 1000);
      next.start();
      return;
    }
    this.active--;
    running.set({ pool: this.pool }, this.active);
  }
}
