import { DomainError } from '@tally/contracts';
import { PostingInput } from '../journal/journal.repository';

/** A posting of the purchase being refunded, with the code of its account (to tell the fee leg apart). */
export interface OriginalPosting extends PostingInput {
  accountCode: string;
}

const FEE_REVENUE_CODE = /^system:fee_revenue:/;

/** What may still be refunded of a purchase. */
export function refundableRemainder(purchaseAmount: bigint, refundedSoFar: bigint): bigint {
  return purchaseAmount - refundedSoFar;
}

/**
 * The amount a refund request refunds: the amount asked for, or everything still refundable when
 * none is given. Never more than what is left (REFUND_EXCEEDS_ORIGINAL), so partial refunds add up to
 * at most the purchase amount.
 */
export function refundAmount(purchaseAmount: bigint, refundedSoFar: bigint, requested: bigint | undefined): bigint {
  const remaining = refundableRemainder(purchaseAmount, refundedSoFar);
  const amount = requested ?? remaining;
  if (amount <= 0n || amount > remaining) {
    throw new DomainError(
      'REFUND_EXCEEDS_ORIGINAL',
      remaining === 0n ? 'This purchase has been refunded in full' : 'The refund is more than what is left to refund',
      { remainingMinor: remaining.toString() },
    );
  }
  return amount;
}

/** a × b ÷ c rounded half-up, for non-negative integers (c > 0). */
export function mulDivHalfUp(a: bigint, b: bigint, c: bigint): bigint {
  return (2n * a * b + c) / (2n * c);
}

/**
 * The purchase's money legs without its fee: the fee stays with Tally (it paid for a payment that did
 * happen), so postings to fee revenue are left out and the wallet's debit is reduced by the fee.
 * Postings of one account and direction are merged. What remains balances per currency.
 */
export function purchaseLegs(postings: OriginalPosting[], walletAccountId: string, fee: bigint): PostingInput[] {
  const merged: PostingInput[] = [];
  for (const p of postings) {
    if (p.direction === 'C' && FEE_REVENUE_CODE.test(p.accountCode)) continue;
    const same = merged.find((m) => m.accountId === p.accountId && m.direction === p.direction && m.currency === p.currency);
    if (same) same.amount += p.amount;
    else merged.push({ accountId: p.accountId, direction: p.direction, amount: p.amount, currency: p.currency });
  }
  if (fee > 0n) {
    const walletDebit = merged.find((m) => m.accountId === walletAccountId && m.direction === 'D');
    if (!walletDebit || walletDebit.amount < fee) throw new Error('the purchase entry has no wallet debit that covers its fee');
    walletDebit.amount -= fee;
  }
  const legs = merged.filter((m) => m.amount > 0n);
  if (!balancesPerCurrency(legs)) throw new Error('the purchase entry does not balance once its fee leg is left out');
  return legs;
}

/**
 * The postings of one refund: the purchase legs in the opposite direction, scaled by the share of the
 * purchase refunded. Rounding rule: each leg's cumulative refunded amount after a refund is
 * round-half-up(leg × refundedAfter ÷ purchaseAmount), and a refund posts the difference to the
 * cumulative amount before it, so partial refunds add up exactly to the purchase (the last one takes
 * the remainder) and no minor unit is lost or made up across currencies. Within a currency, when one
 * side has several legs, its largest leg takes what keeps the entry balanced.
 */
export function refundPostings(legs: PostingInput[], purchaseAmount: bigint, refundedBefore: bigint, refundedAfter: bigint): PostingInput[] {
  if (purchaseAmount <= 0n || refundedBefore < 0n || refundedAfter <= refundedBefore || refundedAfter > purchaseAmount) {
    throw new Error('refund shares out of range');
  }
  const cumulative = (amount: bigint, refunded: bigint) => mulDivHalfUp(amount, refunded, purchaseAmount);
  const step = (amount: bigint) => cumulative(amount, refundedAfter) - cumulative(amount, refundedBefore);
  const out: PostingInput[] = [];
  for (const currency of [...new Set(legs.map((l) => l.currency))]) {
    const inCurrency = legs.filter((l) => l.currency === currency);
    const total = inCurrency.filter((l) => l.direction === 'D').reduce((s, l) => s + l.amount, 0n);
    const groupStep = step(total);
    for (const direction of ['D', 'C'] as const) {
      const side = inCurrency.filter((l) => l.direction === direction);
      const largest = side.reduce((a, b) => (b.amount > a.amount ? b : a));
      let rest = groupStep;
      for (const leg of side) {
        if (leg === largest) continue;
        const amount = step(leg.amount);
        rest -= amount;
        if (amount > 0n) out.push({ accountId: leg.accountId, direction: opposite(direction), amount, currency });
      }
      // Only with several legs on one side can rounding make this negative; it then goes the other way.
      if (rest > 0n) out.push({ accountId: largest.accountId, direction: opposite(direction), amount: rest, currency });
      if (rest < 0n) out.push({ accountId: largest.accountId, direction, amount: -rest, currency });
    }
  }
  return out;
}

function opposite(direction: 'D' | 'C'): 'D' | 'C' {
  return direction === 'D' ? 'C' : 'D';
}

function balancesPerCurrency(postings: PostingInput[]): boolean {
  const sums = new Map<string, bigint>();
  for (const p of postings) sums.set(p.currency, (sums.get(p.currency) ?? 0n) + (p.direction === 'D' ? p.amount : -p.amount));
  return postings.length > 0 && [...sums.values()].every((s) => s === 0n);
}
