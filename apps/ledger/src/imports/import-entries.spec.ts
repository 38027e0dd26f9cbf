import { ImportEntryInput } from '@tally/contracts';
import { checkImportEntries, checkImportShape, ImportWallet } from './import-entries';

const now = new Date('2026-06-15T12:00:00.000Z');
const ann: ImportWallet = {
  id: '0192e4a0-7b1c-7def-8abc-000000000001',
  walletNumber: 'WA000000000001',
  userId: '0192e4a0-7b1c-7def-8abc-0000000000a1',
  currency: 'USD',
};
const bob: ImportWallet = {
  id: '0192e4a0-7b1c-7def-8abc-000000000002',
  walletNumber: 'WA000000000002',
  userId: '0192e4a0-7b1c-7def-8abc-0000000000b2',
  currency: 'USD',
};
const yen: ImportWallet = {
  id: '0192e4a0-7b1c-7def-8abc-000000000003',
  walletNumber: 'WA000000000003',
  userId: '0192e4a0-7b1c-7def-8abc-0000000000b2',
  currency: 'JPY',
};
const context = {
  now,
  wallets: new Map([ann, bob, yen].map((w) => [w.walletNumber, w])),
  checkBounds: (amount: bigint) => {
    if (amount > 1_000_000n) throw Object.assign(new Error('above the maximum'), { code: 'INVALID_AMOUNT', details: { limit: 'perTransactionMax' } });
  },
};
const at = '2026-05-01T09:00:00Z';

function check(...entries: Partial<ImportEntryInput>[]) {
  return checkImportEntries(entries as ImportEntryInput[], context);
}

describe('checkImportEntries', () => {
  it('plans a deposit, a purchase, a transfer and a refund of the purchase, amounts in minor units', () => {
    const rows = check(
      { ref: 'salary', type: 'deposit', walletNumber: ann.walletNumber, amount: '3200.00', occurredAt: at, description: 'Salary' },
      {
        ref: 'p1',
        type: 'purchase',
        walletNumber: ann.walletNumber,
        amount: 12.5,
        occurredAt: '2026-05-02T10:00:00+08:00',
        merchantName: ' Kopi ',
        merchantCategory: 'food_beverage',
      },
      { type: 'transfer', walletNumber: ann.walletNumber, toWalletNumber: bob.walletNumber, amount: '50', occurredAt: at },
      { type: 'refund', walletNumber: ann.walletNumber, amount: '2.50', occurredAt: '2026-05-03T00:00:00Z', refundOf: 'p1' },
    );
    expect(rows.map((r) => r.ok)).toEqual([true, true, true, true]);
    const plans = rows.map((r) => (r.ok ? r.plan : null));
    expect(plans[0]).toMatchObject({
      type: 'deposit',
      walletId: ann.id,
      userId: ann.userId,
      amountMinor: '320000',
      occurredAt: '2026-05-01T09:00:00.000Z',
      description: 'Salary',
    });
    expect(plans[1]).toMatchObject({ amountMinor: '1250', merchantName: 'Kopi', occurredAt: '2026-05-02T02:00:00.000Z' });
    expect(plans[2]).toMatchObject({ toWalletId: bob.id, amountMinor: '5000' });
    expect(plans[3]).toMatchObject({ refundOfIndex: 1, amountMinor: '250' });
  });

  it.each<[string, Partial<ImportEntryInput>, string, RegExp]>([
    ['an unknown type', { type: 'gift' }, 'VALIDATION_FAILED', /type must be one of/],
    ['an unknown wallet', { walletNumber: 'WA999999999999' }, 'NOT_FOUND', /walletNumber/],
    ['a time in the future', { occurredAt: '2026-06-16T00:00:00Z' }, 'VALIDATION_FAILED', /future/],
    ['a time without a zone', { occurredAt: '2026-05-01T09:00:00' }, 'VALIDATION_FAILED', /zone/],
    ['a time long ago', { occurredAt: '2010-05-01T09:00:00Z' }, 'VALIDATION_FAILED', /10 years/],
    ['too many decimals', { amount: '1.234' }, 'INVALID_AMOUNT', /./],
    ['a negative amount', { amount: '-5' }, 'INVALID_AMOUNT', /./],
    ['an amount above the bounds', { amount: '20000.00' }, 'INVALID_AMOUNT', /maximum/],
  ])('rejects %s with its reason, and keeps the other rows', (_name, change, code, message) => {
    const rows = check(
      { type: 'deposit', walletNumber: ann.walletNumber, amount: '10.00', occurredAt: at, ...change },
      { type: 'deposit', walletNumber: ann.walletNumber, amount: '1.00', occurredAt: at },
    );
    expect(rows[0]).toMatchObject({ ok: false, error: { code } });
    expect(rows[0].ok ? '' : rows[0].error.message).toMatch(message);
    expect(rows[1].ok).toBe(true);
  });

  it('a purchase needs a merchant and a category', () => {
    const rows = check(
      { type: 'purchase', walletNumber: ann.walletNumber, amount: '1', occurredAt: at, merchantCategory: 'food' },
      { type: 'purchase', walletNumber: ann.walletNumber, amount: '1', occurredAt: at, merchantName: 'X', merchantCategory: 'Food & Drink' },
    );
    expect(rows.map((r) => (r.ok ? 'ok' : r.error.message))).toEqual([expect.stringMatching(/merchantName/), expect.stringMatching(/merchantCategory/)]);
  });

  it('a transfer goes to another wallet of the same currency', () => {
    const rows = check(
      { type: 'transfer', walletNumber: ann.walletNumber, toWalletNumber: ann.walletNumber, amount: '1', occurredAt: at },
      { type: 'transfer', walletNumber: ann.walletNumber, toWalletNumber: yen.walletNumber, amount: '1', occurredAt: at },
      { type: 'transfer', walletNumber: ann.walletNumber, amount: '1', occurredAt: at },
    );
    expect(rows.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['VALIDATION_FAILED', 'CURRENCY_MISMATCH', 'NOT_FOUND']);
  });

  it('a refund names an earlier accepted purchase of the same wallet, after it, and not above it; or a transaction id', () => {
    const rows = check(
      { ref: 'p', type: 'purchase', walletNumber: ann.walletNumber, amount: '10', occurredAt: at, merchantName: 'Shop', merchantCategory: 'shopping' },
      { ref: 'd', type: 'deposit', walletNumber: ann.walletNumber, amount: '10', occurredAt: at },
      { type: 'refund', walletNumber: ann.walletNumber, amount: '11', occurredAt: at, refundOf: 'p' },
      { type: 'refund', walletNumber: ann.walletNumber, amount: '1', occurredAt: '2026-04-01T00:00:00Z', refundOf: 'p' },
      { type: 'refund', walletNumber: bob.walletNumber, amount: '1', occurredAt: at, refundOf: 'p' },
      { type: 'refund', walletNumber: ann.walletNumber, amount: '1', occurredAt: at, refundOf: 'd' },
      { type: 'refund', walletNumber: ann.walletNumber, amount: '1', occurredAt: at, refundOf: 'later' },
      { type: 'refund', walletNumber: ann.walletNumber, amount: '1', occurredAt: at, refundOf: '0192e4a0-7b1c-7def-8abc-0123456789ab' },
      { ref: 'later', type: 'purchase', walletNumber: ann.walletNumber, amount: '10', occurredAt: at, merchantName: 'Shop', merchantCategory: 'shopping' },
    );
    expect(rows.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'ok',
      'ok',
      'REFUND_EXCEEDS_ORIGINAL',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'ok',
      'ok',
    ]);
    expect(rows[7].ok && rows[7].plan.refundOfTransactionId).toBe('0192e4a0-7b1c-7def-8abc-0123456789ab');
  });

  it('refs are unique within the import', () => {
    const rows = check(
      { ref: 'a', type: 'deposit', walletNumber: ann.walletNumber, amount: '1', occurredAt: at },
      { ref: 'a', type: 'deposit', walletNumber: ann.walletNumber, amount: '1', occurredAt: at },
    );
    expect(rows[1]).toMatchObject({ ok: false, error: { message: expect.stringMatching(/earlier row/) } });
  });
});

describe('checkImportShape', () => {
  it('needs 1 to 500 rows and a short description', () => {
    const problems = (payload: Parameters<typeof checkImportShape>[0]) => {
      try {
        checkImportShape(payload);
        return undefined;
      } catch (err) {
        return (err as { code: string; details: Record<string, string> }).details;
      }
    };
    expect(problems({ entries: [] })).toEqual({ entries: 'must be a list of 1 to 500 rows' });
    expect(problems({ entries: Array.from({ length: 501 }, () => ({})) })).toEqual({ entries: 'must be a list of 1 to 500 rows' });
    expect(problems({ entries: [{}], description: 'x'.repeat(201) })).toEqual({ description: 'must be text of at most 200 characters' });
    expect(() => checkImportShape({ entries: [{}] })).not.toThrow();
  });
});
