import { EventEnvelope, uuidv7 } from '../envelope';
import { Topics } from '../topics';
import { defineEvent, eventProblems } from './event-contract';
import { FraudDecisionV1 } from './fraud-events';
import { UserRegisteredV1 } from './identity-events';
import { TransactionEventData, TransactionPendingV1, TransactionPostedV1, WalletOpenedV1 } from './ledger-events';

function postedData(): TransactionEventData {
  return {
    transactionId: uuidv7(),
    reference: 'TXN-20251122-000001',
    type: 'transfer',
    status: 'completed',
    walletId: uuidv7(),
    userId: uuidv7(),
    amountMinor: '10050',
    feeMinor: '50',
    currency: 'USD',
    counterpartyWalletId: uuidv7(),
    counterpartyUserId: uuidv7(),
    counterpartyWalletNumber: '1000000001',
    merchantName: null,
    merchantCategory: null,
    description: 'Lunch',
    createdAt: '2025-11-22T12:00:00.000Z',
  };
}

function envelope<T>(type: string, version: number, data: T): EventEnvelope<T> {
  return {
    id: uuidv7(),
    type,
    version,
    source: 'ledger',
    subject: uuidv7(),
    occurredAt: '2025-11-22T12:00:00.000Z',
    data,
  };
}

function posted(overrides: Partial<Record<keyof TransactionEventData, unknown>> = {}): EventEnvelope {
  return envelope('transaction.posted', 1, { ...postedData(), ...overrides });
}

describe('eventProblems for TransactionPostedV1', () => {
  it('the contract is transaction.posted v1 on ledger.events', () => {
    expect(TransactionPostedV1.type).toBe('transaction.posted');
    expect(TransactionPostedV1.version).toBe(1);
    expect(TransactionPostedV1.topic).toBe(Topics.ledgerEvents);
  });

  it('finds no problem in a valid event (minor units as strings, USD, UUIDs)', () => {
    expect(eventProblems(TransactionPostedV1, posted())).toEqual([]);
  });

  it('accepts optional fields that are null or absent', () => {
    const data: Record<string, unknown> = { ...postedData(), counterpartyWalletId: null, counterpartyUserId: null };
    delete data.counterpartyWalletNumber;
    delete data.merchantName;
    delete data.merchantCategory;
    delete data.description;
    expect(eventProblems(TransactionPostedV1, envelope('transaction.posted', 1, data))).toEqual([]);
  });

  it('accepts a zero fee and a negative minor amount string', () => {
    expect(eventProblems(TransactionPostedV1, posted({ feeMinor: '0', amountMinor: '-10050' }))).toEqual([]);
  });

  it('reports the wrong event type', () => {
    expect(eventProblems(TransactionPostedV1, envelope('transaction.pending', 1, postedData()))).toEqual([
      'type transaction.pending is not transaction.posted',
    ]);
  });

  it('reports an unsupported version', () => {
    expect(eventProblems(TransactionPostedV1, envelope('transaction.posted', 2, postedData()))).toEqual(['version 2 of transaction.posted is not supported']);
  });

  it('reports envelope problems before looking at the type or data', () => {
    const bad = { ...envelope('transaction.pending', 1, { nothing: true }), id: 'not-a-uuid' };
    expect(eventProblems(TransactionPostedV1, bad)).toEqual(['id must be a UUID']);
  });

  it('reports a non-object envelope', () => {
    expect(eventProblems(TransactionPostedV1, null)).toEqual(['envelope is not an object']);
  });

  it.each(['transactionId', 'walletId', 'userId'] as const)('reports a bad UUID in %s', (field) => {
    expect(eventProblems(TransactionPostedV1, posted({ [field]: 'wallet-123' }))).toEqual([`${field} must be uuid`]);
  });

  it('reports a bad UUID in an optional UUID field', () => {
    expect(eventProblems(TransactionPostedV1, posted({ counterpartyWalletId: 'nope' }))).toEqual(['counterpartyWalletId must be uuid?']);
  });

  it('reports amountMinor sent as a JSON number instead of a string', () => {
    expect(eventProblems(TransactionPostedV1, posted({ amountMinor: 10050 }))).toEqual(['amountMinor must be minor']);
  });

  it('reports feeMinor sent as a JSON number instead of a string', () => {
    expect(eventProblems(TransactionPostedV1, posted({ feeMinor: 50 }))).toEqual(['feeMinor must be minor']);
  });

  it.each([
    ['a decimal major amount', '100.50'],
    ['an exponent', '1e5'],
    ['an empty string', ''],
    ['more than 20 digits', '1'.repeat(21)],
    ['a bigint', 10050n],
  ])('reports amountMinor as %s', (_label, amountMinor) => {
    expect(eventProblems(TransactionPostedV1, posted({ amountMinor }))).toEqual(['amountMinor must be minor']);
  });

  it.each([
    ['lower case', 'usd'],
    ['too long', 'USDT'],
    ['a number', 840],
  ])('reports a currency that is %s', (_label, currency) => {
    expect(eventProblems(TransactionPostedV1, posted({ currency }))).toEqual(['currency must be currency']);
  });

  it.each(['transactionId', 'reference', 'type', 'status', 'walletId', 'userId', 'amountMinor', 'feeMinor', 'currency', 'createdAt'] as const)(
    'reports the missing required field %s',
    (field) => {
      const data: Record<string, unknown> = { ...postedData() };
      delete data[field];
      const problems = eventProblems(TransactionPostedV1, envelope('transaction.posted', 1, data));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${field} must be `));
    },
  );

  it('reports several data problems together', () => {
    const problems = eventProblems(TransactionPostedV1, posted({ walletId: 'x', amountMinor: 1, currency: 'usd' }));
    expect(problems).toEqual(['walletId must be uuid', 'amountMinor must be minor', 'currency must be currency']);
  });

  it('TransactionPendingV1 rejects a posted event by type', () => {
    expect(eventProblems(TransactionPendingV1, posted())).toEqual(['type transaction.posted is not transaction.pending']);
  });
});

describe('eventProblems for the other contracts', () => {
  it('WalletOpenedV1 valid and invalid', () => {
    const data = { walletId: uuidv7(), walletNumber: '1000000001', userId: uuidv7(), currency: 'JPY' };
    expect(eventProblems(WalletOpenedV1, envelope('wallet.opened', 1, data))).toEqual([]);
    expect(eventProblems(WalletOpenedV1, envelope('wallet.opened', 1, { ...data, currency: 'yen' }))).toEqual(['currency must be currency']);
  });

  it('UserRegisteredV1 valid with and without username', () => {
    expect(eventProblems(UserRegisteredV1, envelope('user.registered', 1, { userId: uuidv7(), username: 'amy' }))).toEqual([]);
    expect(eventProblems(UserRegisteredV1, envelope('user.registered', 1, { userId: uuidv7() }))).toEqual([]);
    expect(eventProblems(UserRegisteredV1, envelope('user.registered', 1, { userId: uuidv7(), username: 5 }))).toEqual(['username must be string?']);
  });

  it('FraudDecisionV1 checks int score and string[] flags', () => {
    const data = { transactionId: uuidv7(), decision: 'review', score: 40, flags: ['HIGH_VALUE', 'HIGH_VELOCITY'] };
    expect(eventProblems(FraudDecisionV1, envelope('fraud.decision', 1, data))).toEqual([]);
    expect(eventProblems(FraudDecisionV1, envelope('fraud.decision', 1, { ...data, score: 40.5 }))).toEqual(['score must be int']);
    expect(eventProblems(FraudDecisionV1, envelope('fraud.decision', 1, { ...data, score: '40' }))).toEqual(['score must be int']);
    expect(eventProblems(FraudDecisionV1, envelope('fraud.decision', 1, { ...data, flags: ['A', 1] }))).toEqual(['flags must be string[]']);
    expect(eventProblems(FraudDecisionV1, envelope('fraud.decision', 1, { ...data, flags: 'A' }))).toEqual(['flags must be string[]']);
  });

  it('defineEvent returns the contract unchanged', () => {
    const contract = { type: 'x.y', version: 3, topic: Topics.analyticsEvents, shape: { a: 'int' as const } };
    expect(defineEvent(contract)).toBe(contract);
    expect(eventProblems(defineEvent(contract), envelope('x.y', 3, { a: 1 }))).toEqual([]);
  });
});
