import { HighValueRule, PossibleDuplicateRule, UnusualAmountRule } from './amount-rules';
import { FraudRule, ScoredTransaction, UserHistory } from './fraud-rule';
import { OffHoursRule } from './off-hours-rule';
import { FRAUD_RULES } from './rule-registry';
import { HighVelocityRule, SuspiciousVelocityRule } from './velocity-rules';

/** An earlier debit in the in-memory history the rules read (the SQL one is exercised end to end). */
interface Past {
  at: Date;
  amountMinor: bigint;
  currency?: string;
  payee?: string | null;
  voided?: boolean;
}

class ListHistory implements UserHistory {
  constructor(private readonly past: Past[]) {}
  private within(since: Date, until: Date) {
    return this.past.filter((p) => p.at >= since && p.at <= until);
  }
  async count(since: Date, until: Date) {
    return this.within(since, until).length;
  }
  async amounts(currency: string, since: Date, until: Date) {
    const rows = this.within(since, until).filter((p) => (p.currency ?? 'MYR') === currency && !p.voided);
    return { count: rows.length, sumMinor: rows.reduce((s, p) => s + p.amountMinor, 0n) };
  }
  async countSame(amountMinor: bigint, currency: string, payee: string | null, since: Date, until: Date) {
    return this.within(since, until).filter((p) => p.amountMinor === amountMinor && (p.currency ?? 'MYR') === currency && (p.payee ?? null) === payee).length;
  }
}

/** The injected clock: every rule measures from the transaction's own time. */
const NOW = new Date('2026-03-10T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function tx(overrides: Partial<ScoredTransaction> = {}): ScoredTransaction {
  return {
    transactionId: '00000000-0000-7000-8000-000000000001',
    userId: '00000000-0000-7000-8000-000000000002',
    type: 'purchase',
    amountMinor: 1000n,
    currency: 'MYR',
    baseAmountMinor: 1000n,
    baseCurrency: 'MYR',
    payee: 'Shop',
    timeZone: 'UTC',
    at: NOW,
    ...overrides,
  };
}

async function hits(rule: FraudRule, t: ScoredTransaction, past: Past[] = [], parameters = rule.defaultParameters): Promise<boolean> {
  return (await rule.evaluate(t, new ListHistory(past), parameters)).hit;
}

const debits = (n: number, at: (i: number) => Date, amountMinor = 1000n): Past[] => Array.from({ length: n }, (_, i) => ({ at: at(i), amountMinor }));

describe('HIGH_VELOCITY: more than 5 debits in 10 minutes, this one included', () => {
  const rule = new HighVelocityRule();
  it('4 earlier + this = 5 (at the threshold): no hit', async () =>
    expect(
      await hits(
        rule,
        tx(),
        debits(4, (i) => minutesAgo(i + 1)),
      ),
    ).toBe(false));
  it('5 earlier + this = 6 (just above): hit', async () =>
    expect(
      await hits(
        rule,
        tx(),
        debits(5, (i) => minutesAgo(i + 1)),
      ),
    ).toBe(true));
  it('3 earlier + this = 4 (below): no hit', async () =>
    expect(
      await hits(
        rule,
        tx(),
        debits(3, (i) => minutesAgo(i)),
      ),
    ).toBe(false));
  it('a debit exactly 10 minutes before counts; one 10 minutes and 1 ms before does not', async () => {
    const inside = [...debits(4, (i) => minutesAgo(i)), { at: minutesAgo(10), amountMinor: 1n }];
    const outside = [...debits(4, (i) => minutesAgo(i)), { at: new Date(minutesAgo(10).getTime() - 1), amountMinor: 1n }];
    expect(await hits(rule, tx(), inside)).toBe(true);
    expect(await hits(rule, tx(), outside)).toBe(false);
  });
  it('reads its threshold and window from the parameters', async () => {
    expect(
      await hits(
        rule,
        tx(),
        debits(2, (i) => minutesAgo(i * 20)),
        { maxCount: 2, windowMinutes: 30 },
      ),
    ).toBe(true);
    expect(
      await hits(
        rule,
        tx(),
        debits(2, (i) => minutesAgo(i * 20)),
        { maxCount: 2, windowMinutes: 10 },
      ),
    ).toBe(false);
  });
});

describe('SUSPICIOUS_VELOCITY: more than 10 debits in an hour', () => {
  const rule = new SuspiciousVelocityRule();
  it('9 earlier + this = 10 (at): no hit', async () =>
    expect(
      await hits(
        rule,
        tx(),
        debits(9, (i) => minutesAgo(i * 6)),
      ),
    ).toBe(false));
  it('10 earlier + this = 11 (just above): hit', async () =>
    expect(
      await hits(
        rule,
        tx(),
        debits(10, (i) => minutesAgo(i * 6)),
      ),
    ).toBe(true));
  it('8 earlier + this = 9 (below): no hit', async () =>
    expect(
      await hits(
        rule,
        tx(),
        debits(8, (i) => minutesAgo(i * 6)),
      ),
    ).toBe(false));
  it('debits older than an hour do not count', async () =>
    expect(
      await hits(
        rule,
        tx(),
        debits(20, (i) => minutesAgo(61 + i)),
      ),
    ).toBe(false));
});

describe("UNUSUAL_AMOUNT: more than 3 × the user's 30-day average in that currency", () => {
  const rule = new UnusualAmountRule();
  // Average of 10.00 and 30.00 is 20.00: the threshold is 60.00.
  const past: Past[] = [
    { at: minutesAgo(60 * 24), amountMinor: 1000n },
    { at: minutesAgo(60 * 24 * 29), amountMinor: 3000n },
  ];
  it('exactly 3 × the average (at): no hit', async () => expect(await hits(rule, tx({ amountMinor: 6000n }), past)).toBe(false));
  it('one minor unit above: hit', async () => expect(await hits(rule, tx({ amountMinor: 6001n }), past)).toBe(true));
  it('one minor unit below: no hit', async () => expect(await hits(rule, tx({ amountMinor: 5999n }), past)).toBe(false));
  it('no earlier debit: no average, no hit', async () => expect(await hits(rule, tx({ amountMinor: 10n ** 12n }), [])).toBe(false));
  it('leaves out debits older than 30 days, voided ones and other currencies', async () => {
    const noise: Past[] = [
      { at: minutesAgo(60 * 24 * 31), amountMinor: 1_000_000n },
      { at: minutesAgo(5), amountMinor: 1_000_000n, voided: true },
      { at: minutesAgo(5), amountMinor: 1_000_000n, currency: 'USD' },
    ];
    expect(await hits(rule, tx({ amountMinor: 6001n }), [...past, ...noise])).toBe(true);
  });
  it('a decimal multiplier is exact (1.5 × 20.00 = 30.00)', async () => {
    expect(await hits(rule, tx({ amountMinor: 3000n }), past, { multiplier: '1.5', windowDays: 30 })).toBe(false);
    expect(await hits(rule, tx({ amountMinor: 3001n }), past, { multiplier: '1.5', windowDays: 30 })).toBe(true);
  });
});

describe('HIGH_VALUE: above 10,000 MYR (the base-currency equivalent)', () => {
  const rule = new HighValueRule();
  it('exactly 10,000.00 MYR (at): no hit', async () => expect(await hits(rule, tx({ baseAmountMinor: 1_000_000n }))).toBe(false));
  it('10,000.01 MYR (just above): hit', async () => expect(await hits(rule, tx({ baseAmountMinor: 1_000_001n }))).toBe(true));
  it('9,999.99 MYR (just below): no hit', async () => expect(await hits(rule, tx({ baseAmountMinor: 999_999n }))).toBe(false));
  it('a USD debit is judged by its MYR equivalent from the event, not its own amount', async () => {
    expect(await hits(rule, tx({ currency: 'USD', amountMinor: 220_000n, baseAmountMinor: 1_034_000n }))).toBe(true);
    expect(await hits(rule, tx({ currency: 'USD', amountMinor: 2_000_000n, baseAmountMinor: 940_000n }))).toBe(false);
  });
  it('no base amount (no rate) and another currency: cannot judge, no hit', async () => {
    expect(await hits(rule, tx({ currency: 'JPY', amountMinor: 10n ** 9n, baseAmountMinor: null, baseCurrency: null }))).toBe(false);
  });
  it('a configured base currency: USD 10,000 threshold reads the transaction amount when it is in USD', async () => {
    const usd = { threshold: '10000', currency: 'USD' };
    expect(await hits(rule, tx({ currency: 'USD', amountMinor: 1_000_001n, baseCurrency: 'MYR', baseAmountMinor: 4_700_005n }), [], usd)).toBe(true);
    expect(await hits(rule, tx({ currency: 'USD', amountMinor: 1_000_000n, baseCurrency: 'MYR', baseAmountMinor: 4_700_000n }), [], usd)).toBe(false);
  });
});

describe("OFF_HOURS: 23:00 to 05:00 on the wallet's clock", () => {
  const rule = new OffHoursRule();
  const at = (iso: string, timeZone: string) => tx({ at: new Date(iso), timeZone });
  it('22:59:59 local (just before): no hit', async () => expect(await hits(rule, at('2026-03-10T22:59:59Z', 'UTC'))).toBe(false));
  it('23:00 local (at the start): hit', async () => expect(await hits(rule, at('2026-03-10T23:00:00Z', 'UTC'))).toBe(true));
  it('04:59:59 local (just before the end): hit', async () => expect(await hits(rule, at('2026-03-10T04:59:59Z', 'UTC'))).toBe(true));
  it('05:00 local (at the end): no hit', async () => expect(await hits(rule, at('2026-03-10T05:00:00Z', 'UTC'))).toBe(false));
  it('the same instant is off hours in Kuala Lumpur (UTC+8, 23:30) and not in London (15:30)', async () => {
    expect(await hits(rule, at('2026-03-10T15:30:00Z', 'Asia/Kuala_Lumpur'))).toBe(true);
    expect(await hits(rule, at('2026-03-10T15:30:00Z', 'Europe/London'))).toBe(false);
  });
  it('follows daylight saving: 03:59 UTC is 23:59 in New York in summer (EDT) but 22:59 in winter (EST)', async () => {
    expect(await hits(rule, at('2026-07-01T03:59:00Z', 'America/New_York'))).toBe(true);
    expect(await hits(rule, at('2026-01-15T03:59:00Z', 'America/New_York'))).toBe(false);
  });
  it('an unknown zone reads as UTC', async () => {
    const outcome = await rule.evaluate(at('2026-03-10T23:30:00Z', 'Mars/Olympus'), new ListHistory([]), rule.defaultParameters);
    expect(outcome).toEqual({ hit: true, evidence: expect.objectContaining({ localHour: 23, timeZone: 'UTC' }) });
  });
  it('a window that does not wrap midnight (09 to 17)', async () => {
    const params = { startHour: 9, endHour: 17 };
    expect(await hits(rule, at('2026-03-10T08:59:00Z', 'UTC'), [], params)).toBe(false);
    expect(await hits(rule, at('2026-03-10T09:00:00Z', 'UTC'), [], params)).toBe(true);
    expect(await hits(rule, at('2026-03-10T17:00:00Z', 'UTC'), [], params)).toBe(false);
  });
});

describe('POSSIBLE_DUPLICATE: same amount and payee within 5 minutes (flag only)', () => {
  const rule = new PossibleDuplicateRule();
  it('the same purchase exactly 5 minutes before (at the edge): hit', async () =>
    expect(await hits(rule, tx(), [{ at: minutesAgo(5), amountMinor: 1000n, payee: 'Shop' }])).toBe(true));
  it('5 minutes and 1 ms before (just outside): no hit', async () =>
    expect(await hits(rule, tx(), [{ at: new Date(minutesAgo(5).getTime() - 1), amountMinor: 1000n, payee: 'Shop' }])).toBe(false));
  it('another amount or another payee: no hit', async () => {
    expect(await hits(rule, tx(), [{ at: minutesAgo(1), amountMinor: 1001n, payee: 'Shop' }])).toBe(false);
    expect(await hits(rule, tx(), [{ at: minutesAgo(1), amountMinor: 1000n, payee: 'Other' }])).toBe(false);
  });
  it('adds no points by default', () => expect(rule.defaultWeight).toBe(0));
});

describe('rule parameters', () => {
  it('the defaults of every registered rule are valid, and codes and flags are unique', () => {
    for (const rule of FRAUD_RULES) expect(rule.parameterProblems(rule.defaultParameters)).toEqual([]);
    expect(new Set(FRAUD_RULES.map((r) => r.code)).size).toBe(FRAUD_RULES.length);
    expect(new Set(FRAUD_RULES.map((r) => r.flag)).size).toBe(FRAUD_RULES.length);
  });
  it('names what is wrong', () => {
    expect(new HighVelocityRule().parameterProblems({ maxCount: 0, windowMinutes: 1.5, extra: 1 })).toEqual([
      'extra is not a parameter of this rule',
      'maxCount must be an integer from 1 to 100000',
      'windowMinutes must be an integer from 1 to 10080',
    ]);
    expect(new UnusualAmountRule().parameterProblems({ multiplier: 3, windowDays: 30 })).toEqual(['multiplier must be a positive decimal string, e.g. "3"']);
    expect(new HighValueRule().parameterProblems({ threshold: '10000.001', currency: 'MYR' })).toEqual(['threshold must have at most the minor digits of MYR']);
    expect(new OffHoursRule().parameterProblems({ startHour: 24, endHour: 5 })).toEqual(['startHour must be an integer from 0 to 23']);
  });
});
