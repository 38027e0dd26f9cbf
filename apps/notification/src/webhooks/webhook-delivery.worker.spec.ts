import { retryDelayMs } from './webhook-delivery.worker';

describe('webhook retry delay', () => {
  it('doubles from the base after each failed attempt, up to the maximum', () => {
    const config = { retryBaseMs: 30_000, retryMaxMs: 3_600_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelayMs(n, config))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });
});
