import { DomainError } from '@tally/contracts';
import { PostingInput } from '../journal/journal.repository';
import { mulDivHalfUp, purchaseLegs, refundAmount, refundPostings } from './refund-amounts';

const WALLET = 'a0000000-0000-0000-0000-000000000001';
const MERCHANT_USD = 'a0000000-0000-0000-0000-000000000002';
const FX_EUR = 'a0000000-0000-0000-0000-000000000003';
const FX_USD = 'a0000000-0000-0000-0000-000000000004';
const FEE_EUR = 'a0000000-0000-0000-0000-000000000005';
const MERCHANT_EUR = 'a0000000-0000-0000-0000-000000000006';
const MERCHANT_EUR_2 = 'a0000000-0000-0000-0000-000000000007';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

/** Signed sum per account: what a list of refunds did to each account in total. */
function netByAccount(refunds: PostingInput[][]): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const p of refunds.flat()) net.set(p.accountId, (net.get(p.accountId) ?? 0n) + (p.direction === 'D' ? p.amount : -p.amount));
  return net;
}

function balancedPerCurrency(postings: PostingInput[]): boolean {
  const sums = new Map<string, bigint>();
  for (const p of postings) sums.set(p.currency, (sums.get(p.currency) ?? 0n) + (p.direction === 'D' ? p.amount : -p.amount));
  return [...sums.values()].every((s) => s === 0n);
}

/** Refunds `parts` one after another and returns each refund's postings. */
function refundInParts(legs: PostingInput[], purchaseAmount: bigint, parts: bigint[]): PostingInput[][] {
  let refunded = 0n;
  return parts.map((part) => {
    const postings = refundPostings(legs, purchaseAmount, refunded, refunded + part);
    refunded += part;
    return postings;
  });
}

describe('refund amount', () => {
  it('refunds everything that is left when no amount is given', () => {
    expect(refundAmount(10_000n, 0n, undefined)).toBe(10_000n);
    expect(refundAmount(10_000n, 2_500n, undefined)).toBe(7_500n);
  });

  it('refunds a partial amount up to exactly what is left', () => {
    expect(refundAmount(10_000n, 2_500n, 7_500n)).toBe(7_500n);
  });

  it('refuses one minor unit more than what is left, with the remainder in the details', () => {
    const err = refusal(() => refundAmount(10_000n, 2_500n, 7_501n));
    expect(err.code).toBe('REFUND_EXCEEDS_ORIGINAL');
    expect(err.details).toEqual({ remainingMinor: '7500' });
  });

  it('refuses any refund of a purchase refunded in full', () => {
    const err = refusal(() => refundAmount(10_000n, 10_000n, undefined));
    expect(err.code).toBe('REFUND_EXCEEDS_ORIGINAL');
    expect(err.message).toMatch(/in full/);
  });
});

describe('half-up division', () => {
  it('rounds halves up and everything else to the nearest', () => {
    expect(mulDivHalfUp(1n, 1n, 2n)).toBe(1n);
    expect(mulDivHalfUp(1n, 1n, 3n)).toBe(0n);
    expect(mulDivHalfUp(2n, 1n, 3n)).toBe(1n);
    expect(mulDivHalfUp(1000n, 300n, 923n)).toBe(325n); // 325.03
    expect(mulDivHalfUp(5n, 1n, 10n)).toBe(1n); // 0.5
  });
});

describe('purchase legs', () => {
  it('leaves the fee with Tally: drops the fee revenue credit and takes the fee off the wallet debit', () => {
    const legs = purchaseLegs(
      [
        { accountId: WALLET, accountCode: `wallet:${WALLET}`, direction: 'D', amount: 10_050n, currency: 'EUR' },
        { accountId: MERCHANT_EUR, accountCode: 'system:merchant_settlement:EUR', direction: 'C', amount: 10_000n, currency: 'EUR' },
        { accountId: FEE_EUR, accountCode: 'system:fee_revenue:EUR:3', direction: 'C', amount: 50n, currency: 'EUR' },
      ],
      WALLET,
      50n,
    );
    expect(legs).toEqual([
      { accountId: WALLET, direction: 'D', amount: 10_000n, currency: 'EUR' },
      { accountId: MERCHANT_EUR, direction: 'C', amount: 10_000n, currency: 'EUR' },
    ]);
  });

  it('refuses an entry it cannot split into amount and fee', () => {
    expect(() =>
      purchaseLegs(
        [
          { accountId: WALLET, accountCode: `wallet:${WALLET}`, direction: 'D', amount: 10_000n, currency: 'EUR' },
          { accountId: MERCHANT_EUR, accountCode: 'system:merchant_settlement:EUR', direction: 'C', amount: 10_000n, currency: 'EUR' },
        ],
        WALLET,
        50n,
      ),
    ).toThrow(/does not balance/);
  });
});

describe('refund postings', () => {
  const sameCurrency: PostingInput[] = [
    { accountId: WALLET, direction: 'D', amount: 10_000n, currency: 'EUR' },
    { accountId: MERCHANT_EUR, direction: 'C', amount: 10_000n, currency: 'EUR' },
  ];

  it('a full refund posts the purchase legs the other way round', () => {
    expect(refundPostings(sameCurrency, 10_000n, 0n, 10_000n)).toEqual([
      { accountId: WALLET, direction: 'C', amount: 10_000n, currency: 'EUR' },
      { accountId: MERCHANT_EUR, direction: 'D', amount: 10_000n, currency: 'EUR' },
    ]);
  });

  // A EUR wallet paid a USD merchant 10.00 USD at 0.923: 9.23 EUR left the wallet, through the FX
  // position accounts. The purchase amount is the wallet's 9.23 EUR.
  const crossCurrency: PostingInput[] = [
    { accountId: WALLET, direction: 'D', amount: 923n, currency: 'EUR' },
    { accountId: FX_EUR, direction: 'C', amount: 923n, currency: 'EUR' },
    { accountId: FX_USD, direction: 'D', amount: 1000n, currency: 'USD' },
    { accountId: MERCHANT_USD, direction: 'C', amount: 1000n, currency: 'USD' },
  ];

  it('a partial FX refund takes the merchant side in proportion, rounded half-up on the cumulative share', () => {
    const refunds = refundInParts(crossCurrency, 923n, [300n, 300n, 323n]);
    const usdToMerchant = refunds.map((r) => r.find((p) => p.accountId === MERCHANT_USD)?.amount);
    // cumulative 1000 × 300/923 = 325.03 → 325, × 600/923 = 650.05 → 650, then the rest: 350.
    expect(usdToMerchant).toEqual([325n, 325n, 350n]);
    expect(refunds.map((r) => r.find((p) => p.accountId === WALLET)?.amount)).toEqual([300n, 300n, 323n]);
    for (const r of refunds) expect(balancedPerCurrency(r)).toBe(true);
    expect(netByAccount(refunds)).toEqual(
      new Map([
        [WALLET, -923n],
        [FX_EUR, 923n],
        [FX_USD, -1000n],
        [MERCHANT_USD, 1000n],
      ]),
    );
  });

  it('a purchase refunded one minor unit at a time returns exactly the legs, never a negative posting', () => {
    // The purchase amount is the merchant's 10.00 USD; 1000 refunds of 0.01 USD move the wallet side in rounded steps.
    const refunds = refundInParts(
      crossCurrency,
      1000n,
      Array.from({ length: 1000 }, () => 1n),
    );
    for (const r of refunds) {
      expect(balancedPerCurrency(r)).toBe(true);
      for (const p of r) expect(p.amount).toBeGreaterThan(0n);
      expect(r.every((p) => p.direction === (p.accountId === WALLET || p.accountId === FX_USD ? 'C' : 'D'))).toBe(true);
    }
    expect(netByAccount(refunds)).toEqual(
      new Map([
        [WALLET, -923n],
        [FX_EUR, 923n],
        [FX_USD, -1000n],
        [MERCHANT_USD, 1000n],
      ]),
    );
  });

  it('keeps every refund balanced when one side has several legs, and adds up exactly', () => {
    const split: PostingInput[] = [
      { accountId: WALLET, direction: 'D', amount: 1000n, currency: 'EUR' },
      { accountId: MERCHANT_EUR, direction: 'C', amount: 333n, currency: 'EUR' },
      { accountId: MERCHANT_EUR_2, direction: 'C', amount: 667n, currency: 'EUR' },
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const parts: bigint[] = [];
      let left = 1000;
      while (left > 0) {
        const part = Math.min(left, 1 + random(150));
        parts.push(BigInt(part));
        left -= part;
      }
      const refunds = refundInParts(split, 1000n, parts);
      for (const r of refunds) expect(balancedPerCurrency(r)).toBe(true);
      expect(netByAccount(refunds)).toEqual(
        new Map([
          [WALLET, -1000n],
          [MERCHANT_EUR, 333n],
          [MERCHANT_EUR_2, 667n],
        ]),
      );
    }
  });

  it('refuses shares outside the purchase', () => {
    expect(() => refundPostings(sameCurrency, 10_000n, 5_000n, 10_001n)).toThrow(/out of range/);
    expect(() => refundPostings(sameCurrency, 10_000n, 5_000n, 5_000n)).toThrow(/out of range/);
  });
});
