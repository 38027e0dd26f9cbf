import { milestonesReached } from './goals.repository';

describe('milestonesReached', () => {
  it('names each milestone passed by a contribution, reached exactly at its percent', () => {
    expect(milestonesReached(10000n, 0n, 2499n)).toEqual([]);
    expect(milestonesReached(10000n, 0n, 2500n)).toEqual([25]);
    expect(milestonesReached(10000n, 2500n, 7600n)).toEqual([50, 75]);
    expect(milestonesReached(10000n, 9000n, 15000n)).toEqual([100]);
    expect(milestonesReached(10000n, 10000n, 20000n)).toEqual([]);
  });

  it('works in minor units of any size without rounding (a 3-yen goal)', () => {
    expect(milestonesReached(3n, 0n, 1n)).toEqual([25]);
    expect(milestonesReached(3n, 1n, 2n)).toEqual([50]);
    expect(milestonesReached(3n, 2n, 3n)).toEqual([75, 100]);
  });
});
