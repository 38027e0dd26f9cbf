import { DomainError } from '@tally/contracts';
import { HashingPool } from './hashing-pool';

/** A task the test finishes by hand, so the pool's state can be looked at in between. */
function gate(): { task: () => Promise<string>; open: (value?: string) => void; started: () => boolean } {
  let release: (v: string) => void = () => undefined;
  let running = false;
  return {
    task: () => {
      running = true;
      return new Promise<string>((resolve) => (release = resolve));
    },
    open: (value = 'done') => release(value),
    started: () => running,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('HashingPool', () => {
  it('runs at most `concurrency` tasks at once and starts the next, in order, as one ends', async () => {
    const pool = new HashingPool({ concurrency: 2, maxQueue: 10, maxWaitMs: 10_000 });
    const gates = [gate(), gate(), gate(), gate()];
    const results = gates.map((g) => pool.run(g.task));
    await tick();
    expect(gates.map((g) => g.started())).toEqual([true, true, false, false]);
    expect(pool.stats).toEqual({ running: 2, queued: 2 });
    gates[1].open('b');
    await expect(results[1]).resolves.toBe('b');
    await tick();
    expect(gates.map((g) => g.started())).toEqual([true, true, true, false]);
    gates[0].open('a');
    gates[2].open('c');
    await tick();
    expect(gates[3].started()).toBe(true);
    gates[3].open('d');
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect(pool.stats).toEqual({ running: 0, queued: 0 });
  });

  it('refuses at once with SERVICE_UNAVAILABLE (PASSWORD_CHECKS_BUSY) when the queue is full, running nothing more', async () => {
    const pool = new HashingPool({ concurrency: 1, maxQueue: 1, maxWaitMs: 10_000 });
    const running = gate();
    const waiting = gate();
    const first = pool.run(running.task);
    const second = pool.run(waiting.task);
    const third = pool.run(async () => 'never');
    await expect(third).rejects.toBeInstanceOf(DomainError);
    await expect(third).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { reason: 'PASSWORD_CHECKS_BUSY', retryAfterSeconds: 1 } });
    running.open();
    await tick();
    waiting.open();
    await expect(Promise.all([first, second])).resolves.toEqual(['done', 'done']);
  });

  it('drops a task that waited longer than maxWaitMs without running it (its caller has given up)', async () => {
    const pool = new HashingPool({ concurrency: 1, maxQueue: 5, maxWaitMs: 20 });
    const running = gate();
    const first = pool.run(running.task);
    let ran = false;
    const stale = pool.run(async () => {
      ran = true;
      return 'late';
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    running.open();
    await expect(stale).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(ran).toBe(false);
    await first;
    // The slot is free again.
    await expect(pool.run(async () => 'next')).resolves.toBe('next');
    expect(pool.stats).toEqual({ running: 0, queued: 0 });
  });

  it('frees the slot when a task fails', async () => {
    const pool = new HashingPool({ concurrency: 1, maxQueue: 0, maxWaitMs: 1000 });
    await expect(pool.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pool.run(async () => 'ok')).resolves.toBe('ok');
  });
});
