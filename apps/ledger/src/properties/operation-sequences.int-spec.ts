import fc from 'fast-check';
import { DomainError, EventEnvelope, TransactionView, uuidv7 } from '@tally/contracts';
import { InvalidAmountError } from '@tally/money';
import { ledgerBookProblems, recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { milestonesReached } from '../goals/goals.repository';
import { LedgerHarness, HARNESS_PIN } from '../testing/ledger-harness';
import { Books, booksFromBalances, emptyBooks, outboxEvents, replayEvents } from './event-replay';
import {
  available,
  convert,
  decimalText,
  emptyModel,
  ExpectedRows,
  expectedTransferFee,
  LedgerModel,
  LedgerUnderTest,
  minimumAmount,
  MODEL_CURRENCIES,
  ModelCurrency,
  ModelGoal,
  ModelMovement,
  ModelWallet,
  PURCHASE_CURRENCIES,
  PurchaseCurrency,
  scaleOf,
  spent,
  USER_DAILY_LIMIT_MYR,
  userSpendingAfter,
  utcDay,
  walletDailyCap,
  WalletStatus,
} from './ledger-model';

const URL = process.env.TEST_LEDGER_PROPERTIES_DATABASE_URL ?? testDatabaseUrl('int_properties');
const RUNS = Number(process.env.LEDGER_PROPERTY_RUNS ?? 30);
const MAX_OPERATIONS = 30;
/** A guard against a hang (or a shrink that never ends), not a speed target: about 1.5 s per sequence is usual. */
const TIME_LIMIT_MS = Math.max(240_000, RUNS * 8_000);
const USERS = 3;
/** Opening a wallet hashes its PIN (scrypt, ~0.3 s): a few wallets per run keep the suite quick. */
const MAX_WALLETS = 5;
/** Stands for the platform's cap on a wallet's daily limit (walletDailyCap). */
const HIGH_LIMIT = -1n;
const MERCHANT = { merchantName: 'Corner Shop', merchantCategory: 'groceries' };

type Step = fc.AsyncCommand<LedgerModel, LedgerUnderTest>;

const stats = {
  sequences: 0,
  operations: 0,
  byOperation: new Map<string, number>(),
  refusals: new Map<string, number>(),
  settled: { posted: 0, voided: 0, expired: 0 },
  eventsReplayed: 0,
  journalReplays: 0,
  /** Transfers whose fee was exactly half a minor unit before rounding. */
  halfUpFees: 0,
  /** Goal contributions posted, and goal.milestone events they announced. */
  goalContributions: 0,
  goalWithdrawals: 0,
  goalMilestones: 0,
  /** Replayed events whose id differs from the live event's, by `<event type>:<transaction type>`. */
  replayIdMismatches: new Map<string, number>(),
  msApplying: 0,
  msChecking: 0,
};

/**
 * Random sequences of ledger operations among a few users and wallets in USD, JPY (no minor unit),
 * KWD (three) and MYR, against the real schema: deposits, transfers, withdrawals and purchases
 * (some in another currency), fraud's decisions, expired holds, refunds, reversals, freezing and
 * closing, refused requests and repeated ones. After every step the books are audited from the
 * tables, the rows the step added are counted, and the wallets are compared with a model kept from
 * the outcomes alone. After every sequence the ledger's events are folded back into balances and
 * must rebuild exactly what the journal holds, and so must a journal replay of the sequence.
 */
describe('random sequences of ledger operations', () => {
  let ledger: LedgerHarness;

  beforeAll(async () => {
    await recreateDatabase(URL);
    ledger = await LedgerHarness.open(URL, 10);
  });

  afterAll(async () => {
    await ledger?.close();
  });

  it(
    'keep the books balanced, never overdraw, conserve money and replay from their events',
    async () => {
      let current: { model: LedgerModel; real: LedgerUnderTest } | undefined;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...MODEL_CURRENCIES),
          fc.bigInt({ min: 1_000_000n, max: 10_000_000n }),
          fc.commands([fc.oneof(...OPERATIONS)], { maxCommands: MAX_OPERATIONS, size: 'max' }),
          async (currency, funds, steps) => {
            const setup = async () => {
              const startedAt = new Date();
              const real: LedgerUnderTest = {
                ledger,
                users: Array.from({ length: USERS }, () => ({ userId: uuidv7(), roles: ['user'] })),
                admin: { userId: uuidv7(), roles: ['admin'] },
                merchant: { userId: uuidv7(), roles: ['user'], apiKeyId: uuidv7(), scopes: ['refunds:write'] },
                baseline: await rowCounts(ledger),
                booksAtStart: await booksFromBalances(ledger.db),
                startedAt,
                day: utcDay(startedAt),
              };
              const model = emptyModel();
              // Two wallets of one currency, the first well funded, so debits can succeed from the first step.
              await new OpenWallet(0, currency, HIGH_LIMIT, 1n).apply(model, real);
              await new OpenWallet(1, currency, HIGH_LIMIT, 1n).apply(model, real);
              await new Deposit(0, funds).apply(model, real);
              current = { model, real };
              return current;
            };
            await fc.asyncModelRun(setup, steps);
            if (!current) throw new Error('the run set nothing up');
            await checkAfterSequence(current.model, current.real);
            stats.sequences++;
          },
        ),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: true },
      );
      console.log(
        `ledger properties: ${stats.sequences} sequences, ${stats.operations} operations ${JSON.stringify(Object.fromEntries(stats.byOperation))}; ` +
          `holds ${JSON.stringify(stats.settled)}; ${stats.halfUpFees} transfer fees rounded from exactly half; ` +
          `${stats.goalContributions} goal contributions posted (${stats.goalMilestones} milestones), ${stats.goalWithdrawals} goal withdrawals; refusals ${JSON.stringify(Object.fromEntries(stats.refusals))}; ` +
          `${stats.eventsReplayed} events folded after the last sequence, ${stats.journalReplays} journal replays; ` +
          `${stats.msApplying} ms in operations, ${stats.msChecking} ms in checks after steps`,
      );
      expect(stats.sequences).toBeGreaterThanOrEqual(RUNS);
      expect(stats.settled.posted).toBeGreaterThan(0);
      expect(stats.settled.voided).toBeGreaterThan(0);
      expect(stats.refusals.get('INSUFFICIENT_FUNDS') ?? 0).toBeGreaterThan(0);
      // A journal replay must repeat each live event's id, or consumers rebuilding from both topics apply it twice.
      expect(Object.fromEntries(stats.replayIdMismatches)).toEqual({});
    },
    TIME_LIMIT_MS + 60_000,
  );
});

// ---------------------------------------------------------------------------------------------
// Operations. Each is one class and one entry in OPERATIONS. apply() works out from the model what
// the ledger must answer, runs the operation, checks the answer and updates the model.
// ---------------------------------------------------------------------------------------------

abstract class LedgerStep implements Step {
  abstract check(model: Readonly<LedgerModel>): boolean;
  abstract apply(model: LedgerModel, real: LedgerUnderTest): Promise<void>;
  abstract toString(): string;

  async run(model: LedgerModel, real: LedgerUnderTest): Promise<void> {
    const started = Date.now();
    await this.apply(model, real);
    const applied = Date.now();
    stats.operations++;
    stats.byOperation.set(this.constructor.name, (stats.byOperation.get(this.constructor.name) ?? 0) + 1);
    await checkAfterStep(model, real);
    stats.msApplying += applied - started;
    stats.msChecking += Date.now() - applied;
  }
}

class OpenWallet extends LedgerStep {
  constructor(
    readonly owner: number,
    readonly currency: ModelCurrency,
    readonly dailyLimit: bigint,
    readonly monthlyFactor: bigint,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.wallets.length < MAX_WALLETS;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    // HIGH_LIMIT: as high as the platform lets a wallet go (its cap), so the wallet's own limits stay out of the way.
    const dailyLimit = this.dailyLimit === HIGH_LIMIT ? walletDailyCap(this.currency) : this.dailyLimit;
    const monthlyLimit = dailyLimit * this.monthlyFactor;
    const view = await r.ledger.walletsService.open(
      r.users[this.owner],
      { currency: this.currency, pin: '2580', dailyLimit: decimalText(dailyLimit, this.currency), monthlyLimit: decimalText(monthlyLimit, this.currency) },
      uuidv7(),
    );
    expect(view).toMatchObject({ currency: this.currency, status: 'active', balance: decimalText(0n, this.currency) });
    m.wallets.push({
      id: view.id,
      number: view.walletNumber,
      owner: this.owner,
      currency: this.currency,
      status: 'active',
      balance: 0n,
      held: 0n,
      incoming: 0n,
      dailyLimit,
      monthlyLimit,
    });
    added(m, { wallets: 1, outbox: 1, idempotency_keys: 1 });
  }
  toString() {
    return `open(user ${this.owner}, ${this.currency}, daily ${this.dailyLimit} × ${this.monthlyFactor})`;
  }
}

class RefusedOpen extends LedgerStep {
  constructor(
    readonly owner: number,
    readonly flaw: 'currency' | 'pin' | 'limits',
  ) {
    super();
  }
  check() {
    return true;
  }
  async apply(_m: LedgerModel, r: LedgerUnderTest) {
    const input = {
      currency: this.flaw === 'currency' ? 'XTS' : 'USD',
      pin: this.flaw === 'pin' ? '12a' : '2580',
      dailyLimit: this.flaw === 'limits' ? '500.00' : '100.00',
      monthlyLimit: '200.00',
    };
    await expectRefusal(r.ledger.walletsService.open(r.users[this.owner], input, uuidv7()), 'VALIDATION_FAILED');
  }
  toString() {
    return `open refused(user ${this.owner}, bad ${this.flaw})`;
  }
}

class Deposit extends LedgerStep {
  constructor(
    readonly wallet: number,
    readonly size: bigint,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.wallets.length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const w = pick(m.wallets, this.wallet);
    const amount = max(this.size, minimumAmount(w.currency));
    const actor = r.users[w.owner];
    const payload = { walletId: w.id, amount: decimalText(amount, w.currency) };
    const key = uuidv7();
    const attempt = r.ledger.deposits.execute(actor, payload, key);
    if (w.status !== 'active') return expectRefusal(attempt, 'WALLET_NOT_ACTIVE');
    const view = await attempt;
    expect(view).toMatchObject({ type: 'deposit', status: 'completed', amount: payload.amount, fee: decimalText(0n, w.currency), walletId: w.id });
    w.balance += amount;
    m.movements.push({ id: view.id, kind: 'deposit', wallet: m.wallets.indexOf(w), amount, fee: 0n, status: 'completed', refunded: 0n });
    m.acknowledged.push({ kind: 'deposit', actor, key, payload, transactionId: view.id });
    added(m, { journal_entries: 1, transactions: 1, outbox: 1, idempotency_keys: 1 });
  }
  toString() {
    return `deposit(wallet ${this.wallet}, ${this.size} minor)`;
  }
}

type AmountFlaw = 'zero' | 'too-precise' | 'negative' | 'above-maximum' | 'below-minimum';
type DepositFlaw = AmountFlaw | 'not-owner';

class RefusedDeposit extends LedgerStep {
  constructor(
    readonly wallet: number,
    readonly flaw: DepositFlaw,
    readonly size: bigint,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.wallets.length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const w = pick(m.wallets, this.wallet);
    const notOwner = this.flaw === 'not-owner';
    const actor = notOwner ? r.users[(w.owner + 1) % USERS] : r.users[w.owner];
    const amount = notOwner ? decimalText(max(this.size, minimumAmount(w.currency)), w.currency) : flawedAmount(this.flaw as AmountFlaw, this.size, w.currency);
    await expectRefusal(r.ledger.deposits.execute(actor, { walletId: w.id, amount }, uuidv7()), notOwner ? 'NOT_FOUND' : 'INVALID_AMOUNT');
  }
  toString() {
    return `deposit refused(wallet ${this.wallet}, ${this.flaw})`;
  }
}

type Resolution = 'approve' | 'reject' | 'leave pending';
/** A share of the source's available balance (in ‰, above 1000 overdraws) or a fixed small amount. */
type DebitSize = { permille: number } | { minor: bigint };

function debitAmount(size: DebitSize, w: ModelWallet): bigint {
  const amount = 'minor' in size ? size.minor : (available(w) * BigInt(size.permille)) / 1000n;
  return max(amount, minimumAmount(w.currency));
}

function sizeText(size: DebitSize): string {
  return 'minor' in size ? `${size.minor} minor` : `${size.permille}‰ of available`;
}

class Transfer extends LedgerStep {
  constructor(
    readonly from: number,
    readonly to: number,
    /** To another wallet of the same currency when there is one; else to any wallet (itself, another currency). */
    readonly sameCurrency: boolean,
    readonly size: DebitSize,
    readonly resolution: Resolution,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.wallets.length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const from = pick(m.wallets, this.from);
    const peers = m.wallets.filter((w) => w !== from && w.currency === from.currency);
    const to = this.sameCurrency && peers.length > 0 ? pick(peers, this.to) : pick(m.wallets, this.to);
    const amount = debitAmount(this.size, from);
    const fee = expectedTransferFee(amount, from.currency);
    const actor = r.users[from.owner];
    const payload = { fromWalletId: from.id, toWalletNumber: to.number, amount: decimalText(amount, from.currency) };
    const key = uuidv7();
    const attempt = r.ledger.transfers.execute(actor, { ...payload, pin: HARNESS_PIN }, key);

    // The ledger's checks, in its order.
    const refusal = overUserLimit(m, from, amount + fee)
      ? 'LIMIT_EXCEEDED'
      : from.status !== 'active'
        ? 'WALLET_NOT_ACTIVE'
        : to === from
          ? 'VALIDATION_FAILED'
          : to.status !== 'active'
            ? 'WALLET_NOT_ACTIVE'
            : to.currency !== from.currency
              ? 'CURRENCY_MISMATCH'
              : overWalletLimits(m, from, amount + fee)
                ? 'LIMIT_EXCEEDED'
                : available(from) < amount + fee
                  ? 'INSUFFICIENT_FUNDS'
                  : undefined;
    if (await refused(m, attempt, refusal, r)) return;
    const view = await attempt;
    expect(view).toMatchObject({
      type: 'transfer_out',
      status: 'pending',
      amount: payload.amount,
      fee: decimalText(fee, from.currency),
      counterpartyWalletNumber: to.number,
    });
    if (amount % 500n === 250n) stats.halfUpFees++;
    from.held += amount + fee;
    to.incoming += amount;
    const movement: ModelMovement = {
      id: view.id,
      kind: 'transfer',
      wallet: m.wallets.indexOf(from),
      to: m.wallets.indexOf(to),
      amount,
      fee,
      status: 'pending',
      refunded: 0n,
    };
    m.movements.push(movement);
    m.acknowledged.push({ kind: 'transfer', actor, key, payload, transactionId: view.id });
    added(m, { journal_entries: 1, transactions: 2, outbox: 1, idempotency_keys: 1 });
    if (this.resolution !== 'leave pending') await decide(m, r, movement, this.resolution);
  }
  toString() {
    return `transfer(wallet ${this.from} → ${this.sameCurrency ? 'peer' : 'wallet'} ${this.to}, ${sizeText(this.size)}, ${this.resolution})`;
  }
}

type TransferFlaw = 'not-owner' | 'unknown-destination' | 'malformed-destination' | 'too-precise' | 'zero';

class RefusedTransfer extends LedgerStep {
  constructor(
    readonly from: number,
    readonly flaw: TransferFlaw,
    readonly size: bigint,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.wallets.length > 1;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const from = pick(m.wallets, this.from);
    const to = m.wallets.find((w) => w !== from) as ModelWallet;
    const actor = this.flaw === 'not-owner' ? r.users[(from.owner + 1) % USERS] : r.users[from.owner];
    const toWalletNumber =
      this.flaw === 'unknown-destination'
        ? `WA${String(this.size % 10n ** 12n).padStart(12, '9')}`
        : this.flaw === 'malformed-destination'
          ? 'WA123'
          : to.number;
    const valid = max(this.size, minimumAmount(from.currency));
    const amount = this.flaw === 'too-precise' || this.flaw === 'zero' ? flawedAmount(this.flaw, this.size, from.currency) : decimalText(valid, from.currency);
    const code = {
      'not-owner': 'NOT_FOUND',
      'unknown-destination': overUserLimit(m, from, valid + expectedTransferFee(valid, from.currency))
        ? 'LIMIT_EXCEEDED'
        : from.status === 'active'
          ? 'NOT_FOUND'
          : 'WALLET_NOT_ACTIVE',
      'malformed-destination': 'VALIDATION_FAILED',
      'too-precise': 'INVALID_AMOUNT',
      zero: 'INVALID_AMOUNT',
    }[this.flaw];
    const key = uuidv7();
    await expectRefusal(r.ledger.transfers.execute(actor, { fromWalletId: from.id, toWalletNumber, amount, pin: HARNESS_PIN }, key), code);
    announced(m, code);
  }
  toString() {
    return `transfer refused(wallet ${this.from}, ${this.flaw})`;
  }
}

class Withdrawal extends LedgerStep {
  constructor(
    readonly wallet: number,
    readonly size: DebitSize,
    readonly resolution: Resolution,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.wallets.length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const w = pick(m.wallets, this.wallet);
    const amount = debitAmount(this.size, w);
    const actor = r.users[w.owner];
    const payload = { walletId: w.id, amount: decimalText(amount, w.currency) };
    const key = uuidv7();
    const attempt = r.ledger.withdrawals.execute(actor, { ...payload, pin: HARNESS_PIN }, key);
    if (await refused(m, attempt, debitRefusal(m, w, amount), r)) return;
    const view = await attempt;
    expect(view).toMatchObject({ type: 'withdrawal', status: 'pending', amount: payload.amount, fee: decimalText(0n, w.currency) });
    await held(m, r, { id: view.id, kind: 'withdrawal', wallet: m.wallets.indexOf(w), amount, fee: 0n, status: 'pending', refunded: 0n }, this.resolution);
    m.acknowledged.push({ kind: 'withdrawal', actor, key, payload, transactionId: view.id });
  }
  toString() {
    return `withdraw(wallet ${this.wallet}, ${sizeText(this.size)}, ${this.resolution})`;
  }
}

class Purchase extends LedgerStep {
  constructor(
    readonly wallet: number,
    /** Undefined: in the wallet's own currency. */
    readonly currency: PurchaseCurrency | undefined,
    readonly size: DebitSize,
    readonly resolution: Resolution,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.wallets.length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const w = pick(m.wallets, this.wallet);
    const currency = this.currency ?? w.currency;
    // Sized against the wallet, then priced in the purchase currency (at the rate, when there is one).
    const target = debitAmount(this.size, w);
    const price = max(currency === w.currency ? target : (convert(target, w.currency, currency) ?? target), minimumAmount(currency));
    const actor = r.users[w.owner];
    const payload = { walletId: w.id, amount: decimalText(price, currency), currency, ...MERCHANT };
    const key = uuidv7();
    const attempt = r.ledger.payments.execute(actor, { ...payload, pin: HARNESS_PIN }, key);
    const charged = convert(price, currency, w.currency);
    const refusal = charged === undefined ? 'CURRENCY_MISMATCH' : charged === 0n ? 'INVALID_AMOUNT' : debitRefusal(m, w, charged);
    if (await refused(m, attempt, refusal, r)) return;
    const view = await attempt;
    const amount = charged as bigint;
    expect(view).toMatchObject({
      type: 'purchase',
      status: 'pending',
      amount: decimalText(amount, w.currency),
      currency: w.currency,
      merchantName: MERCHANT.merchantName,
    });
    const paid = currency === w.currency ? undefined : { amount: price, currency };
    await held(m, r, { id: view.id, kind: 'purchase', wallet: m.wallets.indexOf(w), amount, fee: 0n, status: 'pending', refunded: 0n, paid }, this.resolution);
    m.acknowledged.push({ kind: 'purchase', actor, key, payload, transactionId: view.id });
  }
  toString() {
    return `purchase(wallet ${this.wallet}, ${sizeText(this.size)} in ${this.currency ?? "the wallet's currency"}, ${this.resolution})`;
  }
}

/** Fraud's decision arriving later for a debit left pending. */
class DecidePending extends LedgerStep {
  constructor(
    readonly movement: number,
    readonly decision: 'approve' | 'reject',
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.movements.some((t) => t.status === 'pending');
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    await decide(
      m,
      r,
      pick(
        m.movements.filter((t) => t.status === 'pending'),
        this.movement,
      ),
      this.decision,
    );
  }
  toString() {
    return `decide(pending debit ${this.movement}, ${this.decision})`;
  }
}

/** A decision delivered again (or for a transaction the ledger never had) changes nothing. */
class DecideAgain extends LedgerStep {
  constructor(
    readonly movement: number,
    readonly decision: 'approve' | 'reject',
    readonly unknown: boolean,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return this.unknown || settledDebits(m).length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const id = this.unknown ? uuidv7() : pick(settledDebits(m), this.movement).id;
    await r.ledger.decide(id, this.decision);
  }
  toString() {
    return this.unknown ? `decide(unknown transaction, ${this.decision})` : `decide again(settled debit ${this.movement}, ${this.decision})`;
  }
}

/** The hold sweep, run as if a day had passed: every hold still pending (this run's and older ones) is voided. */
class ExpireHolds extends LedgerStep {
  check(m: Readonly<LedgerModel>) {
    return m.movements.some((t) => t.status === 'pending');
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const pending = m.movements.filter((t) => t.status === 'pending');
    const voided = await r.ledger.holdExpiry().sweep(new Date(Date.now() + 2 * 24 * 60 * 60 * 1000));
    // Holds left pending by earlier sequences expire too; the books and the replay still cover them.
    expect(voided).toBeGreaterThanOrEqual(pending.length);
    for (const t of pending) release(m, t, 'voided');
    stats.settled.expired += pending.length;
    added(m, { journal_entries: voided, outbox: voided });
  }
  toString() {
    return 'expire holds';
  }
}

type RefundShare = 'the rest' | 'more than the rest' | { permille: number };

class Refund extends LedgerStep {
  constructor(
    readonly purchase: number,
    readonly share: RefundShare,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.movements.some((t) => t.kind === 'purchase');
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const purchase = pick(
      m.movements.filter((t) => t.kind === 'purchase'),
      this.purchase,
    );
    const w = m.wallets[purchase.wallet];
    const rest = purchase.amount - purchase.refunded;
    const requested =
      this.share === 'the rest' ? undefined : this.share === 'more than the rest' ? rest + 1n : max(1n, (rest * BigInt(this.share.permille)) / 1000n);
    const key = uuidv7();
    const payload = { transactionId: purchase.id, ...(requested === undefined ? {} : { amount: decimalText(requested, w.currency) }) };
    const attempt = r.ledger.refunds.execute(r.merchant, payload, key);
    const amount = requested ?? rest;
    const refusal =
      purchase.status !== 'completed'
        ? 'CONFLICT'
        : amount <= 0n || amount > rest
          ? 'REFUND_EXCEEDS_ORIGINAL'
          : w.status === 'closed'
            ? 'WALLET_NOT_ACTIVE'
            : undefined;
    if (refusal) return expectRefusal(attempt, refusal);
    const view = await attempt;
    expect(view).toMatchObject({ type: 'refund', status: 'completed', amount: decimalText(amount, w.currency), originalTransactionId: purchase.id });
    purchase.refunded += amount;
    w.balance += amount;
    m.movements.push({ id: view.id, kind: 'refund', wallet: purchase.wallet, amount, fee: 0n, status: 'completed', refunded: 0n });
    added(m, { journal_entries: 1, transactions: 1, outbox: 1, idempotency_keys: 1 });
  }
  toString() {
    return `refund(purchase ${this.purchase}, ${typeof this.share === 'string' ? this.share : `${this.share.permille}‰ of the rest`})`;
  }
}

/** A refund asked by someone else, by the payer themself, or of something that is not a purchase. */
class RefusedRefund extends LedgerStep {
  constructor(
    readonly movement: number,
    readonly flaw: 'not-owner' | 'payer' | 'not-a-purchase',
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.movements.some((t) => (this.flaw === 'not-a-purchase' ? t.kind !== 'purchase' : t.kind === 'purchase'));
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const t = pick(
      m.movements.filter((x) => (this.flaw === 'not-a-purchase' ? x.kind !== 'purchase' : x.kind === 'purchase')),
      this.movement,
    );
    const owner = m.wallets[t.wallet].owner;
    const actor = { 'not-owner': r.users[(owner + 1) % USERS], payer: r.users[owner], 'not-a-purchase': r.merchant }[this.flaw];
    const code = { 'not-owner': 'NOT_FOUND', payer: 'FORBIDDEN', 'not-a-purchase': 'VALIDATION_FAILED' }[this.flaw];
    await expectRefusal(r.ledger.refunds.execute(actor, { transactionId: t.id }, uuidv7()), code);
  }
  toString() {
    return `refund refused(${this.flaw} ${this.movement})`;
  }
}

/** An admin (or, refused, its owner) reverses a movement. Movements touching a closed wallet are left alone. */
class Reverse extends LedgerStep {
  constructor(
    readonly movement: number,
    readonly byAdmin: boolean,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return reversible(m).length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const t = pick(reversible(m), this.movement);
    const w = m.wallets[t.wallet];
    const to = t.to === undefined ? undefined : m.wallets[t.to];
    const actor = this.byAdmin ? r.admin : r.users[w.owner];
    const attempt = r.ledger.reversals.execute(actor, { transactionId: t.id, reason: 'property test' }, uuidv7());
    const refusal = !this.byAdmin
      ? 'FORBIDDEN'
      : t.kind === 'refund'
        ? 'VALIDATION_FAILED'
        : t.status !== 'completed' || t.refunded > 0n
          ? 'CONFLICT'
          : (t.kind === 'deposit' || t.kind === 'goal_withdrawal') && available(w) < t.amount
            ? 'INSUFFICIENT_FUNDS'
            : t.kind === 'transfer' && available(to as ModelWallet) < t.amount
              ? 'INSUFFICIENT_FUNDS'
              : t.kind === 'goal_contribution' && m.goals[t.goal as number].saved < t.amount
                ? 'INSUFFICIENT_FUNDS'
                : undefined;
    if (refusal) return expectRefusal(attempt, refusal);
    const view = await attempt;
    expect(view).toMatchObject({ id: t.id, status: 'reversed' });
    // Money that came into the wallet (a deposit, from a goal) leaves it again; money that left comes back.
    if (t.kind === 'deposit' || t.kind === 'goal_withdrawal') w.balance -= t.amount;
    else w.balance += t.amount + t.fee;
    if (to) to.balance -= t.amount;
    if (t.goal !== undefined) m.goals[t.goal].saved += t.kind === 'goal_withdrawal' ? t.amount : -t.amount;
    t.status = 'reversed';
    added(m, { journal_entries: 1, outbox: 1, idempotency_keys: 1 });
  }
  toString() {
    return `reverse(movement ${this.movement}${this.byAdmin ? '' : ', by its owner'})`;
  }
}

class ChangeStatus extends LedgerStep {
  constructor(
    readonly wallet: number,
    readonly change: 'freeze' | 'unfreeze' | 'close',
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.wallets.length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const w = pick(m.wallets, this.wallet);
    const target: WalletStatus = { freeze: 'frozen' as const, unfreeze: 'active' as const, close: 'closed' as const }[this.change];
    const attempt = r.ledger.lifecycle.changeStatus(r.users[w.owner], w.id, this.change);
    const refusal =
      w.status === target
        ? undefined
        : w.status === 'closed' || (this.change === 'unfreeze' && w.status !== 'frozen')
          ? 'WALLET_NOT_ACTIVE'
          : this.change === 'close' && (w.balance !== 0n || w.held !== 0n || w.incoming !== 0n)
            ? 'WALLET_NOT_EMPTY'
            : undefined;
    if (refusal) return expectRefusal(attempt, refusal);
    const view = await attempt;
    expect(view.status).toBe(target);
    if (w.status !== target) added(m, { outbox: 1 });
    w.status = target;
  }
  toString() {
    return `${this.change}(wallet ${this.wallet})`;
  }
}

/**
 * The owner moves money from a wallet into their goal in its currency (opened on first use, with a
 * small target so milestones are reached): one posted entry, no hold, no limits; goal.milestone
 * events for the milestones first passed.
 */
class GoalContribution extends LedgerStep {
  constructor(
    readonly wallet: number,
    readonly size: DebitSize,
    readonly target: bigint,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.wallets.length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const w = pick(m.wallets, this.wallet);
    const actor = r.users[w.owner];
    let goal = m.goals.find((g) => g.owner === w.owner && g.currency === w.currency);
    if (!goal) {
      const target = max(this.target, minimumAmount(w.currency));
      const view = await r.ledger.goals.create(
        actor,
        { name: `Goal ${m.goals.length}`, targetAmount: decimalText(target, w.currency), currency: w.currency },
        uuidv7(),
      );
      goal = { id: view.id, owner: w.owner, currency: w.currency, target, saved: 0n, announced: [] } satisfies ModelGoal;
      m.goals.push(goal);
      added(m, { idempotency_keys: 1 });
    }
    const amount = debitAmount(this.size, w);
    const payload = { goalId: goal.id, fromWalletId: w.id, amount: decimalText(amount, w.currency), pin: '2580' };
    const key = uuidv7();
    const attempt = r.ledger.goalContributions.execute(actor, payload, key);
    const refusal = w.status !== 'active' ? 'WALLET_NOT_ACTIVE' : available(w) < amount ? 'INSUFFICIENT_FUNDS' : undefined;
    if (refusal) return expectRefusal(attempt, refusal);
    const view = await attempt;
    expect(view).toMatchObject({
      type: 'goal_contribution',
      status: 'completed',
      amount: payload.amount,
      fee: decimalText(0n, w.currency),
      walletId: w.id,
      goalId: goal.id,
    });
    const milestones = milestonesReached(goal.target, goal.saved, goal.saved + amount).filter((ms) => !goal.announced.includes(ms));
    goal.announced.push(...milestones);
    stats.goalContributions++;
    stats.goalMilestones += milestones.length;
    w.balance -= amount;
    goal.saved += amount;
    m.movements.push({
      id: view.id,
      kind: 'goal_contribution',
      wallet: m.wallets.indexOf(w),
      amount,
      fee: 0n,
      status: 'completed',
      refunded: 0n,
      goal: m.goals.indexOf(goal),
    });
    m.acknowledged.push({ kind: 'goal_contribution', actor, key, payload, transactionId: view.id });
    added(m, { journal_entries: 1, transactions: 1, outbox: 1 + milestones.length, idempotency_keys: 1 });
  }
  toString() {
    return `contribute to goal(wallet ${this.wallet}, ${sizeText(this.size)}, target ${this.target} minor)`;
  }
}

/**
 * The owner moves money from a goal back to one of their wallets in its currency (a share of what
 * it holds, sometimes more than that): one posted entry, no PIN, no limits; never below zero.
 */
class GoalWithdrawal extends LedgerStep {
  constructor(
    readonly goal: number,
    readonly wallet: number,
    readonly permille: number,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.goals.some((g) => g.saved > 0n);
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const goal = pick(
      m.goals.filter((g) => g.saved > 0n),
      this.goal,
    );
    // A goal is opened from a wallet of its owner in its currency, so there is always one.
    const w = pick(
      m.wallets.filter((x) => x.owner === goal.owner && x.currency === goal.currency),
      this.wallet,
    );
    const actor = r.users[goal.owner];
    const amount = max((goal.saved * BigInt(this.permille)) / 1000n, minimumAmount(goal.currency));
    const payload = { goalId: goal.id, toWalletId: w.id, amount: decimalText(amount, goal.currency) };
    const key = uuidv7();
    const attempt = r.ledger.goalWithdrawals.execute(actor, payload, key);
    const refusal = w.status !== 'active' ? 'WALLET_NOT_ACTIVE' : goal.saved < amount ? 'INSUFFICIENT_FUNDS' : undefined;
    if (refusal) return expectRefusal(attempt, refusal);
    const view = await attempt;
    expect(view).toMatchObject({
      type: 'goal_withdrawal',
      status: 'completed',
      amount: payload.amount,
      fee: decimalText(0n, w.currency),
      walletId: w.id,
      goalId: goal.id,
    });
    stats.goalWithdrawals++;
    w.balance += amount;
    goal.saved -= amount;
    m.movements.push({
      id: view.id,
      kind: 'goal_withdrawal',
      wallet: m.wallets.indexOf(w),
      amount,
      fee: 0n,
      status: 'completed',
      refunded: 0n,
      goal: m.goals.indexOf(goal),
    });
    m.acknowledged.push({ kind: 'goal_withdrawal', actor, key, payload, transactionId: view.id });
    added(m, { journal_entries: 1, transactions: 1, outbox: 1, idempotency_keys: 1 });
  }
  toString() {
    return `withdraw from goal(goal ${this.goal}, wallet ${this.wallet}, ${this.permille}‰ of saved)`;
  }
}

/** The same command sent again with its Idempotency-Key: the first answer, nothing new. With another payload: refused. */
class SendAgain extends LedgerStep {
  constructor(
    readonly command: number,
    readonly changed: boolean,
  ) {
    super();
  }
  check(m: Readonly<LedgerModel>) {
    return m.acknowledged.length > 0;
  }
  async apply(m: LedgerModel, r: LedgerUnderTest) {
    const c = pick(m.acknowledged, this.command);
    const payload = this.changed
      ? c.kind === 'goal_contribution' || c.kind === 'goal_withdrawal'
        ? { ...c.payload, amount: c.payload.amount.replace(/^\d+/, (whole) => String(BigInt(whole) + 1n)) }
        : { ...c.payload, description: 'another request' }
      : c.payload;
    const { ledger } = r;
    const again: Promise<TransactionView> =
      c.kind === 'deposit'
        ? ledger.deposits.execute(c.actor, payload as { walletId: string; amount: string }, c.key)
        : c.kind === 'transfer'
          ? ledger.transfers.execute(c.actor, { ...(payload as { fromWalletId: string; toWalletNumber: string; amount: string }), pin: HARNESS_PIN }, c.key)
          : c.kind === 'withdrawal'
            ? ledger.withdrawals.execute(c.actor, { ...(payload as { walletId: string; amount: string }), pin: HARNESS_PIN }, c.key)
            : c.kind === 'goal_contribution'
              ? ledger.goalContributions.execute(c.actor, payload as { goalId: string; fromWalletId: string; amount: string; pin: string }, c.key)
              : c.kind === 'goal_withdrawal'
                ? ledger.goalWithdrawals.execute(c.actor, payload as { goalId: string; toWalletId: string; amount: string }, c.key)
                : ledger.payments.execute(c.actor, { ...(payload as { walletId: string; amount: string } & typeof MERCHANT), pin: HARNESS_PIN }, c.key);
    if (this.changed) await expectRefusal(again, 'IDEMPOTENCY_KEY_REUSED');
    else expect((await again).id).toBe(c.transactionId);
  }
  toString() {
    return `send again(command ${this.command}${this.changed ? ', changed' : ''})`;
  }
}

const user = fc.nat({ max: USERS - 1 });
const index = fc.nat({ max: 50 });
const currency = fc.constantFrom(...MODEL_CURRENCIES);
/** Minor units, mostly small (fee minimums, JPY) but up to 100 000.00 USD. */
const depositSize = fc.oneof(fc.bigInt({ min: 1n, max: 1_000n }), fc.bigInt({ min: 1n, max: 10_000_000n }));
const dailyLimit = fc.oneof(fc.constant(HIGH_LIMIT), fc.bigInt({ min: 1_000n, max: 1_000_000n }));
const debitSize = fc.oneof(
  fc.integer({ min: 1, max: 1100 }).map((permille): DebitSize => ({ permille })),
  fc.bigInt({ min: 1n, max: 2_000n }).map((minor): DebitSize => ({ minor })),
  // 0.2 % of these is exactly half a minor unit above a whole one: the fee rounds half-up.
  fc.bigInt({ min: 50n, max: 400n }).map((k): DebitSize => ({ minor: k * 500n + 250n })),
);
const resolution = fc.constantFrom<Resolution>('approve', 'approve', 'reject', 'leave pending');
const decision = fc.constantFrom('approve' as const, 'reject' as const);

/** Every operation a sequence draws from, with how often. Adding an operation is adding an entry here. */
const OPERATIONS: { weight: number; arbitrary: fc.Arbitrary<Step> }[] = [
  { weight: 2, arbitrary: fc.tuple(user, currency, dailyLimit, fc.bigInt({ min: 1n, max: 3n })).map(([o, c, d, f]) => new OpenWallet(o, c, d, f)) },
  { weight: 1, arbitrary: fc.tuple(user, fc.constantFrom('currency' as const, 'pin' as const, 'limits' as const)).map(([o, f]) => new RefusedOpen(o, f)) },
  { weight: 5, arbitrary: fc.tuple(index, depositSize).map(([w, a]) => new Deposit(w, a)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(index, fc.constantFrom<DepositFlaw>('zero', 'too-precise', 'negative', 'above-maximum', 'below-minimum', 'not-owner'), depositSize)
      .map(([w, f, a]) => new RefusedDeposit(w, f, a)),
  },
  {
    weight: 6,
    arbitrary: fc
      // Mostly to a peer of the same currency, so most transfers can succeed.
      .tuple(index, index, fc.constantFrom(true, true, true, false), debitSize, resolution)
      .map(([f, t, same, s, res]) => new Transfer(f, t, same, s, res)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(index, fc.constantFrom<TransferFlaw>('not-owner', 'unknown-destination', 'malformed-destination', 'too-precise', 'zero'), depositSize)
      .map(([w, f, a]) => new RefusedTransfer(w, f, a)),
  },
  { weight: 3, arbitrary: fc.tuple(index, debitSize, resolution).map(([w, s, res]) => new Withdrawal(w, s, res)) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(index, fc.option(fc.constantFrom(...PURCHASE_CURRENCIES), { nil: undefined, freq: 2 }), debitSize, resolution)
      .map(([w, c, s, res]) => new Purchase(w, c, s, res)),
  },
  { weight: 2, arbitrary: fc.tuple(index, decision).map(([t, d]) => new DecidePending(t, d)) },
  { weight: 1, arbitrary: fc.tuple(index, decision, fc.boolean()).map(([t, d, u]) => new DecideAgain(t, d, u)) },
  { weight: 1, arbitrary: fc.constant(null).map(() => new ExpireHolds()) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        index,
        fc.oneof(
          fc.constantFrom<RefundShare>('the rest', 'more than the rest'),
          fc.integer({ min: 1, max: 1000 }).map((permille) => ({ permille })),
        ),
      )
      .map(([t, share]) => new Refund(t, share)),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(index, fc.constantFrom('not-owner' as const, 'payer' as const, 'not-a-purchase' as const)).map(([t, f]) => new RefusedRefund(t, f)),
  },
  { weight: 2, arbitrary: fc.tuple(index, fc.constantFrom(true, true, true, false)).map(([t, admin]) => new Reverse(t, admin)) },
  { weight: 2, arbitrary: fc.tuple(index, fc.constantFrom('freeze' as const, 'unfreeze' as const, 'close' as const)).map(([w, c]) => new ChangeStatus(w, c)) },
  { weight: 2, arbitrary: fc.tuple(index, fc.boolean()).map(([c, changed]) => new SendAgain(c, changed)) },
  { weight: 2, arbitrary: fc.tuple(index, debitSize, fc.bigInt({ min: 1n, max: 50_000n })).map(([w, s, t]) => new GoalContribution(w, s, t)) },
  { weight: 4, arbitrary: fc.tuple(index, index, fc.integer({ min: 1, max: 1200 })).map(([g, w, p]) => new GoalWithdrawal(g, w, p)) },
];

// ---------------------------------------------------------------------------------------------
// Expectations shared by operations.
// ---------------------------------------------------------------------------------------------

function overWalletLimits(m: LedgerModel, w: ModelWallet, total: bigint): boolean {
  const sum = spent(m, w) + total;
  return sum > w.dailyLimit || sum > w.monthlyLimit;
}

/** The per-user daily limit, when the wallet's currency converts to MYR (checked first by every debit). */
function overUserLimit(m: LedgerModel, w: ModelWallet, total: bigint): boolean {
  const userTotal = userSpendingAfter(m, w, total);
  return userTotal !== undefined && userTotal > USER_DAILY_LIMIT_MYR;
}

/** A purchase or withdrawal (no fee), checked in the ledger's order: user limit, wallet status, wallet limits, funds. */
function debitRefusal(m: LedgerModel, w: ModelWallet, amount: bigint): string | undefined {
  if (overUserLimit(m, w, amount)) return 'LIMIT_EXCEEDED';
  if (w.status !== 'active') return 'WALLET_NOT_ACTIVE';
  if (overWalletLimits(m, w, amount)) return 'LIMIT_EXCEEDED';
  if (available(w) < amount) return 'INSUFFICIENT_FUNDS';
  return undefined;
}

/**
 * True when the expected answer is a refusal (checked). Past midnight UTC the ledger's spending
 * restarts and the model's does not: a predicted LIMIT_EXCEEDED then proves nothing and the run is
 * dropped (fast-check draws another).
 */
async function refused(m: LedgerModel, attempt: Promise<unknown>, refusal: string | undefined, r: LedgerUnderTest): Promise<boolean> {
  if (refusal === 'LIMIT_EXCEEDED' && utcDay() !== r.day) {
    await attempt.catch(() => undefined);
    throw new fc.PreconditionFailure();
  }
  if (!refusal) return false;
  await expectRefusal(attempt, refusal);
  announced(m, refusal);
  return true;
}

/** A refusal by a limit writes nothing but its announcement, wallet.limit_reached. */
function announced(m: LedgerModel, refusal: string): void {
  if (refusal === 'LIMIT_EXCEEDED') added(m, { outbox: 1 });
}

/** A debit now held (pending); then fraud's decision, unless it is left pending. */
async function held(m: LedgerModel, r: LedgerUnderTest, movement: ModelMovement, resolution: Resolution): Promise<void> {
  m.wallets[movement.wallet].held += movement.amount + movement.fee;
  m.movements.push(movement);
  added(m, { journal_entries: 1, transactions: 1, outbox: 1, idempotency_keys: 1 });
  if (resolution !== 'leave pending') await decide(m, r, movement, resolution);
}

async function decide(m: LedgerModel, r: LedgerUnderTest, t: ModelMovement, decision: 'approve' | 'reject'): Promise<void> {
  await r.ledger.decide(t.id, decision);
  release(m, t, decision === 'approve' ? 'completed' : 'voided');
  added(m, { journal_entries: 1, outbox: 1 });
  stats.settled[decision === 'approve' ? 'posted' : 'voided']++;
}

/** A held debit posted (the money moves) or voided (the hold goes away). */
function release(m: LedgerModel, t: ModelMovement, outcome: 'completed' | 'voided'): void {
  const from = m.wallets[t.wallet];
  const to = t.to === undefined ? undefined : m.wallets[t.to];
  from.held -= t.amount + t.fee;
  if (to) to.incoming -= t.amount;
  if (outcome === 'completed') {
    from.balance -= t.amount + t.fee;
    if (to) to.balance += t.amount;
  }
  t.status = outcome;
}

function settledDebits(m: LedgerModel): ModelMovement[] {
  return m.movements.filter((t) => t.status !== 'pending' && (t.kind === 'transfer' || t.kind === 'withdrawal' || t.kind === 'purchase'));
}

function reversible(m: LedgerModel): ModelMovement[] {
  return m.movements.filter((t) => m.wallets[t.wallet].status !== 'closed' && (t.to === undefined || m.wallets[t.to].status !== 'closed'));
}

/** An amount the currency cannot take, as text. */
function flawedAmount(flaw: AmountFlaw, size: bigint, currency: ModelCurrency): string {
  const text = decimalText(max(size, minimumAmount(currency)), currency);
  switch (flaw) {
    case 'zero':
      return decimalText(0n, currency);
    case 'too-precise':
      // One digit more than the currency has: "12.345" USD, "1500.5" JPY, "1.2505" KWD.
      return scaleOf(currency) === 1n ? `${text}.5` : `${text}5`;
    case 'negative':
      return `-${text}`;
    case 'above-maximum':
      return decimalText(10n ** 15n + size, currency);
    case 'below-minimum':
      // Only KWD has a minimum (0.010) above its smallest unit; elsewhere the nearest thing is zero.
      return decimalText(minimumAmount(currency) - 1n, currency);
  }
}

async function expectRefusal(work: Promise<unknown>, code: string): Promise<void> {
  let outcome: unknown;
  try {
    outcome = await work;
  } catch (err) {
    if (!(err instanceof DomainError || err instanceof InvalidAmountError)) throw err;
    stats.refusals.set(err.code, (stats.refusals.get(err.code) ?? 0) + 1);
    if (err.code !== code) throw new Error(`expected ${code}, the ledger answered ${err.code}: ${err.message}`);
    return;
  }
  throw new Error(`expected ${code}, but the ledger accepted: ${JSON.stringify(outcome)}`);
}

function added(m: LedgerModel, rows: Partial<ExpectedRows>): void {
  for (const [table, n] of Object.entries(rows) as [keyof ExpectedRows, number][]) m.added[table] += n;
}

async function rowCounts(ledger: LedgerHarness): Promise<ExpectedRows> {
  const [row] = await ledger.db.query(`
    SELECT (SELECT count(*) FROM ledger.journal_entries)::int AS journal_entries,
           (SELECT count(*) FROM ledger.transactions)::int AS transactions,
           (SELECT count(*) FROM ledger.outbox WHERE topic = 'ledger.events')::int AS outbox,
           (SELECT count(*) FROM ledger.idempotency_keys)::int AS idempotency_keys,
           (SELECT count(*) FROM ledger.wallets)::int AS wallets`);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Checks.
// ---------------------------------------------------------------------------------------------

/** After every step: sound books, exactly the rows the step should add, and the model's wallets. */
async function checkAfterStep(m: LedgerModel, r: LedgerUnderTest): Promise<void> {
  expect(await ledgerBookProblems(r.ledger.db)).toEqual([]);
  const counts = await rowCounts(r.ledger);
  const grown = Object.fromEntries(Object.entries(counts).map(([table, n]) => [table, n - r.baseline[table as keyof ExpectedRows]]));
  expect(grown).toEqual(m.added);
  const rows: { id: string; status: string; balance: string; held: string; incoming: string }[] = await r.ledger.db.query(
    `SELECT w.id, w.status, (b.posted_credits - b.posted_debits)::text AS balance, b.pending_debits::text AS held, b.pending_credits::text AS incoming
       FROM ledger.wallets w JOIN ledger.balances b ON b.account_id = w.account_id WHERE w.id = ANY($1::uuid[])`,
    [m.wallets.map((w) => w.id)],
  );
  const actual = Object.fromEntries(
    rows.map((row) => [row.id, { status: row.status, balance: BigInt(row.balance), held: BigInt(row.held), incoming: BigInt(row.incoming) }]),
  );
  const expected = Object.fromEntries(m.wallets.map((w) => [w.id, { status: w.status, balance: w.balance, held: w.held, incoming: w.incoming }]));
  expect(actual).toEqual(expected);
  const goals: { id: string; saved: string }[] = await r.ledger.db.query(
    `SELECT g.id, (b.posted_credits - b.posted_debits)::text AS saved FROM ledger.goals g JOIN ledger.balances b ON b.account_id = g.account_id WHERE g.id = ANY($1::uuid[])`,
    [m.goals.map((g) => g.id)],
  );
  expect(Object.fromEntries(goals.map((g) => [g.id, BigInt(g.saved)]))).toEqual(Object.fromEntries(m.goals.map((g) => [g.id, g.saved])));
}

/** After a sequence: what users see, the read model, system accounts, and the replays. */
async function checkAfterSequence(m: LedgerModel, r: LedgerUnderTest): Promise<void> {
  for (const w of m.wallets) {
    const view = await r.ledger.walletsService.get(r.users[w.owner], w.id);
    expect(view).toMatchObject({
      status: w.status,
      balance: decimalText(w.balance, w.currency),
      pending: decimalText(w.held, w.currency),
      available: decimalText(available(w), w.currency),
    });
    if (utcDay() === r.day) expect(view.dailySpent).toBe(decimalText(spent(m, w), w.currency));
  }

  // The read model: every movement's status (both rows of a transfer) and what purchases had refunded.
  const ids = m.movements.map((t) => t.id);
  const rows: { id: string; linked: string | null; type: string; status: string; refunded: string }[] = await r.ledger.db.query(
    `SELECT id, linked_transaction_id AS linked, type, status, refunded_amount::text AS refunded FROM ledger.transactions
      WHERE id = ANY($1::uuid[]) OR linked_transaction_id = ANY($1::uuid[])`,
    [ids],
  );
  const readModel = Object.fromEntries(
    m.movements.map((t) => [
      t.id,
      rows
        .filter((row) => (row.linked ?? row.id) === t.id)
        .map((row) => `${row.type}:${row.status}:${row.refunded}`)
        .sort(),
    ]),
  );
  const expectedReadModel = Object.fromEntries(
    m.movements.map((t) => [
      t.id,
      t.kind === 'transfer' ? [`transfer_in:${t.status}:0`, `transfer_out:${t.status}:0`] : [`${t.kind}:${t.status}:${t.refunded}`],
    ]),
  );
  expect(readModel).toEqual(expectedReadModel);

  // Replaying every event the ledger has written rebuilds every wallet and system account.
  const events = await outboxEvents(r.ledger.db);
  const replayed = replayEvents(events);
  const books = await booksFromBalances(r.ledger.db);
  expect(replayed).toEqual(books);
  stats.eventsReplayed = events.length;
  for (const w of m.wallets) expect(replayed.wallets.get(w.id)).toEqual({ currency: w.currency, balance: w.balance, held: w.held });

  // System accounts moved by exactly what this sequence did.
  const expected = expectedSystemMoves(m);
  const moved = difference(books, r.booksAtStart);
  for (const kind of ['funding', 'feeRevenue', 'merchants', 'fxPosition'] as const) expect([kind, moved[kind]]).toEqual([kind, expected[kind]]);

  // The ledger's own reports agree: the trial balance balances and a verification run finds no difference.
  expect((await r.ledger.trialBalance.get(r.admin)).balanced).toBe(true);
  const verification = await r.ledger.verification.start(r.admin, uuidv7());
  while (await r.ledger.verification.step()) {
    // until the run has checked every account
  }
  expect(await r.ledger.verification.get(r.admin, verification.id)).toMatchObject({ status: 'completed', ok: true, differenceCount: 0 });

  // A journal replay of the sequence (the admin command) announces the same movements again.
  const run = await r.ledger.replay.start(r.admin, { from: r.startedAt.toISOString() }, uuidv7());
  while (await r.ledger.replay.step({ settleMs: 0, maxBacklog: Number.POSITIVE_INFINITY })) {
    // until the run has nothing left
  }
  expect((await r.ledger.replay.get(r.admin, run.id)).status).toBe('completed');
  stats.journalReplays++;
  const walletIds = new Set(m.wallets.map((w) => w.id));
  const ours = (e: { data: unknown }) => walletIds.has((e.data as { walletId?: string }).walletId ?? '');
  const fromJournal = (await outboxEvents(r.ledger.db, 'ledger.replay', r.startedAt)).filter(ours);
  const rebuilt = replayEvents(fromJournal);
  for (const w of m.wallets) expect(rebuilt.wallets.get(w.id)).toEqual({ currency: w.currency, balance: w.balance, held: w.held });
  for (const g of m.goals) expect([g.id, rebuilt.goals.get(g.id) ?? 0n]).toEqual([g.id, g.saved]);
  for (const kind of ['funding', 'feeRevenue', 'merchants', 'fxPosition'] as const) expect([kind, rebuilt[kind]]).toEqual([kind, expected[kind]]);
  // Each live event comes again under its own id, so a projection reading both topics dedupes the
  // overlap in its inbox. Mismatches are gathered over all sequences and asserted at the end.
  const replayable = (e: EventEnvelope<unknown>) => e.type === 'wallet.opened' || e.type.startsWith('transaction.');
  const label = (e: EventEnvelope<unknown>) => `${e.type}:${(e.data as { type?: string }).type ?? 'wallet'}`;
  const liveIds = new Set(events.filter((e) => ours(e) && replayable(e)).map((e) => e.id));
  for (const e of fromJournal.filter(replayable)) {
    if (!liveIds.has(e.id)) stats.replayIdMismatches.set(label(e), (stats.replayIdMismatches.get(label(e)) ?? 0) + 1);
  }
  expect(fromJournal.filter(replayable).length).toBe(liveIds.size);
}

/** What this sequence's completed movements should have done to the system accounts, per currency. */
function expectedSystemMoves(m: LedgerModel): Omit<Books, 'wallets'> {
  const books = emptyBooks();
  const add = (map: Map<string, bigint>, currency: string, value: bigint) => {
    const next = (map.get(currency) ?? 0n) + value;
    if (next === 0n) map.delete(currency);
    else map.set(currency, next);
  };
  for (const t of m.movements) {
    if (t.status !== 'completed') continue;
    const c = m.wallets[t.wallet].currency;
    if (t.kind === 'deposit') add(books.funding, c, t.amount);
    if (t.kind === 'withdrawal') add(books.funding, c, -t.amount);
    if (t.kind === 'transfer') add(books.feeRevenue, c, t.fee);
    if (t.kind === 'purchase' && !t.paid) add(books.merchants, c, t.amount - t.refunded);
    if (t.kind === 'purchase' && t.paid) {
      // Refunds take back the merchant's share rounded half-up on the cumulative refunded total.
      const kept = t.paid.amount - (2n * t.paid.amount * t.refunded + t.amount) / (2n * t.amount);
      add(books.merchants, t.paid.currency, kept);
      add(books.fxPosition, t.paid.currency, -kept);
      add(books.fxPosition, c, t.amount - t.refunded);
    }
  }
  return books;
}

function difference(now: Books, before: Books): Omit<Books, 'wallets'> {
  const out = emptyBooks();
  for (const kind of ['funding', 'feeRevenue', 'merchants', 'fxPosition'] as const) {
    for (const currency of new Set([...now[kind].keys(), ...before[kind].keys()])) {
      const delta = (now[kind].get(currency) ?? 0n) - (before[kind].get(currency) ?? 0n);
      if (delta !== 0n) out[kind].set(currency, delta);
    }
  }
  return out;
}

function pick<T>(items: T[], i: number): T {
  return items[i % items.length];
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
