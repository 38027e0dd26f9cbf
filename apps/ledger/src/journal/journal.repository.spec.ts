import { assertBalanced, PostingInput } from './journal.repository';

const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';
const C = '00000000-0000-7000-8000-00000000000c';

function d(accountId: string, amount: bigint, currency = 'USD'): PostingInput {
  return { accountId, direction: 'D', amount, currency };
}
function c(accountId: string, amount: bigint, currency = 'USD'): PostingInput {
  return { accountId, direction: 'C', amount, currency };
}

describe('assertBalanced', () => {
  it('rejects an entry with no postings', () => {
    expect(() => assertBalanced([])).toThrow(/needs postings/);
  });

  it('accepts a balanced 2-leg entry', () => {
    expect(() => assertBalanced([d(A, 10000n), c(B, 10000n)])).not.toThrow();
  });

  it('accepts a balanced 3-leg transfer with fee: D sender 100.50, C receiver 100.00, C fee revenue 0.50', () => {
    expect(() => assertBalanced([d(A, 10050n), c(B, 10000n), c(C, 50n)])).not.toThrow();
  });

  it('accepts a balanced entry in two currencies, each balanced on its own', () => {
    expect(() => assertBalanced([d(A, 100n, 'USD'), c(B, 100n, 'USD'), d(A, 1500n, 'JPY'), c(C, 1500n, 'JPY')])).not.toThrow();
  });

  it('accepts amounts beyond Number.MAX_SAFE_INTEGER exactly', () => {
    const big = 2n ** 60n + 1n;
    expect(() => assertBalanced([d(A, big), c(B, big - 1n), c(C, 1n)])).not.toThrow();
  });

  it('rejects an unbalanced entry', () => {
    expect(() => assertBalanced([d(A, 10050n), c(B, 10000n)])).toThrow('journal entry does not balance in USD');
  });

  it('rejects an entry off by one minor unit', () => {
    expect(() => assertBalanced([d(A, 10050n), c(B, 10000n), c(C, 49n)])).toThrow(/does not balance in USD/);
  });

  it('rejects a single-leg entry', () => {
    expect(() => assertBalanced([d(A, 1n)])).toThrow(/does not balance/);
  });

  it('rejects a per-currency imbalance even when totals cancel across currencies (D 100 USD, C 100 EUR)', () => {
    expect(() => assertBalanced([d(A, 10000n, 'USD'), c(B, 10000n, 'EUR')])).toThrow(/does not balance in (USD|EUR)/);
  });

  it('rejects a two-currency entry where only one currency is unbalanced, naming it', () => {
    expect(() => assertBalanced([d(A, 100n, 'USD'), c(B, 100n, 'USD'), d(A, 1500n, 'JPY'), c(C, 1499n, 'JPY')])).toThrow(
      'journal entry does not balance in JPY',
    );
  });

  it('rejects a zero amount even when the entry balances', () => {
    expect(() => assertBalanced([d(A, 0n), c(B, 0n)])).toThrow('posting amounts must be positive');
  });

  it('rejects a zero leg in an otherwise balanced entry', () => {
    expect(() => assertBalanced([d(A, 100n), c(B, 100n), c(C, 0n)])).toThrow('posting amounts must be positive');
  });

  it('rejects a negative amount even when the entry balances (D -100 and C -100)', () => {
    expect(() => assertBalanced([d(A, -100n), c(B, -100n)])).toThrow('posting amounts must be positive');
  });

  it('rejects a negative credit used to balance debits on the same side (D 100, D 100, C 300, C -100)', () => {
    expect(() => assertBalanced([d(A, 100n), d(B, 100n), c(C, 300n), c(A, -100n)])).toThrow('posting amounts must be positive');
  });
});
