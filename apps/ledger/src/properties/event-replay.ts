import { EventEnvelope, TransactionEventData } from '@tally/contracts';

/**
 * Money as the ledger's balance rows or its events tell it: per wallet, and per currency for the
 * system accounts. Every figure is the account's natural sign (credits − debits for what Tally owes
 * or earned, debits − credits for the funding asset).
 */
export interface Books {
  /** Per wallet id: posted balance (credits − debits) and what pending debits hold. */
  wallets: Map<string, { currency: string; balance: bigint; held: bigint }>;
  /** Per currency: the funding account's posted debits − credits (brought in by deposits, taken out by withdrawals). */
  funding: Map<string, bigint>;
  /** Per currency: posted fee revenue over all its shards. */
  feeRevenue: Map<string, bigint>;
  /** Per currency: owed to merchants (merchant settlement, credits − debits). */
  merchants: Map<string, bigint>;
  /** Per currency: the FX position (credits − debits). */
  fxPosition: Map<string, bigint>;
  /** Per goal id: what its account holds (credits − debits); a goal at zero is absent. */
  goals: Map<string, bigint>;
}

interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown[]>;
}

type Fold = (books: Books, t: TransactionEventData) => void;

/**
 * How each announced movement changes the books, by `<event type>:<transaction type>`. Only what
 * the event itself says is used (amount, fee, wallet, counterparty, FX snapshot), so folding the
 * ledger's events must rebuild the balances its journal holds. A movement without a rule fails the
 * replay: a new kind of operation needs its rule here.
 */
const FOLDS: Record<string, Fold> = {
  'transaction.posted:deposit': (b, t) => {
    wallet(b, t, amount(t), 0n);
    add(b.funding, t.currency, amount(t));
  },
  'transaction.reversed:deposit': (b, t) => {
    wallet(b, t, -amount(t), 0n);
    add(b.funding, t.currency, -amount(t));
  },

  'transaction.pending:transfer_out': (b, t) => wallet(b, t, 0n, total(t)),
  'transaction.voided:transfer_out': (b, t) => wallet(b, t, 0n, -total(t)),
  'transaction.posted:transfer_out': (b, t) => {
    wallet(b, t, -total(t), -total(t));
    counterparty(b, t, amount(t));
    add(b.feeRevenue, t.currency, fee(t));
  },
  'transaction.reversed:transfer_out': (b, t) => {
    wallet(b, t, total(t), 0n);
    counterparty(b, t, -amount(t));
    add(b.feeRevenue, t.currency, -fee(t));
  },

  'transaction.pending:withdrawal': (b, t) => wallet(b, t, 0n, total(t)),
  'transaction.voided:withdrawal': (b, t) => wallet(b, t, 0n, -total(t)),
  'transaction.posted:withdrawal': (b, t) => {
    wallet(b, t, -total(t), -total(t));
    add(b.funding, t.currency, -amount(t));
  },
  'transaction.reversed:withdrawal': (b, t) => {
    wallet(b, t, total(t), 0n);
    add(b.funding, t.currency, amount(t));
  },

  'transaction.pending:purchase': (b, t) => wallet(b, t, 0n, total(t)),
  'transaction.voided:purchase': (b, t) => wallet(b, t, 0n, -total(t)),
  'transaction.posted:purchase': (b, t) => {
    wallet(b, t, -total(t), -total(t));
    merchantSide(b, t, 1n);
  },
  'transaction.reversed:purchase': (b, t) => {
    wallet(b, t, total(t), 0n);
    merchantSide(b, t, -1n);
  },
  // A contribution moves money between two accounts of one user: the wallet and the goal.
  'transaction.posted:goal_contribution': (b, t) => {
    wallet(b, t, -amount(t), 0n);
    add(b.goals, goalOf(t), amount(t));
  },
  'transaction.reversed:goal_contribution': (b, t) => {
    wallet(b, t, amount(t), 0n);
    add(b.goals, goalOf(t), -amount(t));
  },
  // A goal withdrawal, the other way.
  'transaction.posted:goal_withdrawal': (b, t) => {
    wallet(b, t, amount(t), 0n);
    add(b.goals, goalOf(t), -amount(t));
  },
  'transaction.reversed:goal_withdrawal': (b, t) => {
    wallet(b, t, -amount(t), 0n);
    add(b.goals, goalOf(t), amount(t));
  },
  // A refund's FX snapshot carries the merchant's share it takes back (in the purchase currency).
  'transaction.posted:refund': (b, t) => {
    wallet(b, t, amount(t), 0n);
    merchantSide(b, t, -1n);
  },
};

/** Events that announce no movement of money. */
const NO_MONEY: Record<string, (b: Books, data: unknown) => void> = {
  'wallet.opened': (b, opened) => {
    const data = opened as { walletId: string; currency: string };
    if (!b.wallets.has(data.walletId)) b.wallets.set(data.walletId, { currency: data.currency, balance: 0n, held: 0n });
  },
  'wallet.status_changed': () => undefined,
  'wallet.settings_changed': () => undefined,
  'wallet.pin_changed': () => undefined,
  'goal.milestone': () => undefined,
  'wallet.limit_reached': () => undefined,
};

/** Folds events, in the order they were written, into books. An event id seen twice is applied once, as consumers do. */
export function replayEvents(events: EventEnvelope<unknown>[]): Books {
  const books = emptyBooks();
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const noMoney = NO_MONEY[event.type];
    if (noMoney) {
      noMoney(books, event.data);
      continue;
    }
    const data = event.data as TransactionEventData;
    const fold = FOLDS[`${event.type}:${data?.type}`];
    if (!fold) throw new Error(`no replay rule for ${event.type} of a ${data?.type} (event ${event.id})`);
    fold(books, data);
  }
  return books;
}

/** The ledger's outbox for a topic, oldest first (the relay does not run in the harness, so nothing is pruned). */
export async function outboxEvents(db: SqlRunner, topic = 'ledger.events', since?: Date): Promise<EventEnvelope<unknown>[]> {
  const rows = (await db.query(`SELECT payload FROM ledger.outbox WHERE topic = $1 AND created_at >= $2 ORDER BY seq`, [topic, since ?? new Date(0)])) as {
    payload: EventEnvelope<unknown>;
  }[];
  return rows.map((r) => r.payload);
}

/** The same books read from the balance rows the journal maintains. */
export async function booksFromBalances(db: SqlRunner): Promise<Books> {
  const books = emptyBooks();
  const wallets = (await db.query(`
    SELECT w.id, w.currency, (b.posted_credits - b.posted_debits)::text AS balance, b.pending_debits::text AS held
      FROM ledger.wallets w JOIN ledger.balances b ON b.account_id = w.account_id`)) as { id: string; currency: string; balance: string; held: string }[];
  for (const w of wallets) books.wallets.set(w.id, { currency: w.currency, balance: BigInt(w.balance), held: BigInt(w.held) });
  const system = (await db.query(`
    SELECT a.code, a.currency, b.posted_debits::text AS debits, b.posted_credits::text AS credits
      FROM ledger.accounts a JOIN ledger.balances b ON b.account_id = a.id WHERE a.code LIKE 'system:%'`)) as {
    code: string;
    currency: string;
    debits: string;
    credits: string;
  }[];
  const goals = (await db.query(`
    SELECT g.id, (b.posted_credits - b.posted_debits)::text AS saved
      FROM ledger.goals g JOIN ledger.balances b ON b.account_id = g.account_id`)) as { id: string; saved: string }[];
  for (const g of goals) add(books.goals, g.id, BigInt(g.saved));
  for (const s of system) {
    const purpose = s.code.split(':')[1];
    const credit = BigInt(s.credits) - BigInt(s.debits);
    if (purpose === 'funding') add(books.funding, s.currency, -credit);
    else if (purpose === 'fee_revenue') add(books.feeRevenue, s.currency, credit);
    else if (purpose === 'merchant_settlement') add(books.merchants, s.currency, credit);
    else if (purpose === 'fx_position') add(books.fxPosition, s.currency, credit);
    else if (credit !== 0n) throw new Error(`system account ${s.code} moved but has no replay rule`);
  }
  return books;
}

export function emptyBooks(): Books {
  return { wallets: new Map(), funding: new Map(), feeRevenue: new Map(), merchants: new Map(), fxPosition: new Map(), goals: new Map() };
}

function amount(t: TransactionEventData): bigint {
  return BigInt(t.amountMinor);
}

function fee(t: TransactionEventData): bigint {
  return BigInt(t.feeMinor);
}

function total(t: TransactionEventData): bigint {
  return amount(t) + fee(t);
}

function wallet(b: Books, t: TransactionEventData, balance: bigint, held: bigint): void {
  move(b, t.walletId, t.currency, balance, held);
}

function goalOf(t: TransactionEventData): string {
  if (!t.goalId) throw new Error(`${t.type} ${t.transactionId} names no goal`);
  return t.goalId;
}

function counterparty(b: Books, t: TransactionEventData, balance: bigint): void {
  if (!t.counterpartyWalletId) throw new Error(`${t.type} ${t.transactionId} names no counterparty wallet`);
  move(b, t.counterpartyWalletId, t.currency, balance, 0n);
}

/**
 * The merchant's side of a purchase (sign 1) or of what is taken back from it (−1): in the wallet's
 * currency, or, paid in another currency, through the FX positions at the snapshot's amounts.
 */
function merchantSide(b: Books, t: TransactionEventData, sign: bigint): void {
  if (!t.originalCurrency || !t.originalAmountMinor) {
    add(b.merchants, t.currency, sign * amount(t));
    return;
  }
  const paid = BigInt(t.originalAmountMinor);
  add(b.fxPosition, t.currency, sign * amount(t));
  add(b.fxPosition, t.originalCurrency, -sign * paid);
  add(b.merchants, t.originalCurrency, sign * paid);
}

function move(b: Books, walletId: string, currency: string, balance: bigint, held: bigint): void {
  const w = b.wallets.get(walletId);
  if (!w) throw new Error(`event for wallet ${walletId} before its wallet.opened`);
  if (w.currency !== currency) throw new Error(`wallet ${walletId} holds ${w.currency}, event says ${currency}`);
  w.balance += balance;
  w.held += held;
}

/** Adds to a per-currency figure; a figure back at zero is removed, so untouched and netted-out read alike. */
function add(map: Map<string, bigint>, currency: string, value: bigint): void {
  const next = (map.get(currency) ?? 0n) + value;
  if (next === 0n) map.delete(currency);
  else map.set(currency, next);
}
