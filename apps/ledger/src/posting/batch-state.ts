import { EventContract, uuidv7 } from '@tally/contracts';
import { OutboxEventInput, OutboxRow, outboxRow } from '@tally/messaging';
import { FxRate } from '@tally/money';
import { EntryInput, PostingInput, assertBalanced } from '../journal/journal.repository';
import { NewTransaction, reference, TransactionRow } from '../transactions/transactions.repository';
import { SPENDING_TYPES, WalletRow } from '../wallets/wallets.repository';

/** What ledger.load_batch returns (bigints as text). */
export interface LoadedBatch {
  now: string;
  claimed: { scope: string; key: string }[];
  inboxed: string[];
  claims: { scope: string; key: string; command: string; request_hash: string; response: unknown }[];
  wallets: WalletRow[];
  goals: { id: string; user_id: string; account_id: string; name: string; target_amount: string; currency: string; milestones: number[] }[];
  transactions: TransactionRow[];
  postings: { transaction_id: string; entry_id: string; account_id: string; code: string; direction: 'D' | 'C'; amount: string; currency: string }[];
  balances: { account_id: string; posted_debits: string; posted_credits: string; pending_debits: string; pending_credits: string }[];
  spending: { wallet_id: string; daily: string; monthly: string }[];
  userSpending: { user_id: string; currency: string; total: string }[];
  rates: FxRate[];
}

export interface AccountBalance {
  postedDebits: bigint;
  postedCredits: bigint;
  pendingDebits: bigint;
  pendingCredits: bigint;
}

export type LoadedWallet = LoadedBatch['wallets'][number];
export type LoadedGoal = LoadedBatch['goals'][number];

/** A posting of a transaction's money-moving entry, with its account's code. */
export interface EntryPosting extends PostingInput {
  entryId: string;
  accountCode: string;
}

/** PIN bookkeeping of a wallet: the miss count, the lock's end, a new hash (upgrade or reset). */
export interface PinUpdate {
  id: string;
  failedAttempts: number;
  lockedUntil: string | null;
  pinHash?: string;
}

/**
 * The rows a batch writes (ledger.write_batch's input). Commands add to a CommandWrites of their
 * own; the kernel merges those of the commands that succeeded (and what a refusal keeps: a PIN
 * miss, a limit announcement), then sends the whole plan in one call.
 */
export class BatchPlan {
  readonly transactions: Record<string, unknown>[] = [];
  readonly entries: Record<string, unknown>[] = [];
  readonly postings: Record<string, unknown>[] = [];
  readonly settled: { id: string; status: string; fraudScore: number | null; fraudFlags: string[] | null }[] = [];
  readonly scored: { id: string; fraudScore: number; fraudFlags: string[] }[] = [];
  readonly refunded: { id: string; amount: string }[] = [];
  readonly reversed: string[] = [];
  readonly pins = new Map<string, PinUpdate>();
  readonly milestones: { goalId: string; milestone: number; transactionId: string }[] = [];
  readonly outbox: OutboxRow[] = [];
  readonly completed: { scope: string; key: string; response: unknown }[] = [];
  readonly released: { scope: string; key: string }[] = [];

  get empty(): boolean {
    return (
      this.transactions.length +
        this.entries.length +
        this.settled.length +
        this.scored.length +
        this.refunded.length +
        this.reversed.length +
        this.pins.size +
        this.milestones.length +
        this.outbox.length +
        this.completed.length +
        this.released.length ===
      0
    );
  }

  toJSON(): object {
    return { ...this, pins: [...this.pins.values()] };
  }
}

/**
 * What one command writes, kept apart until it has decided: a refused command's writes are
 * dropped, except `kept` (a wrong PIN counts, a refusal by a limit is announced).
 */
export class CommandWrites {
  readonly transactions: TransactionRow[] = [];
  readonly entries: { entry: EntryInput & { id: string }; postings: PostingInput[] }[] = [];
  readonly settled: BatchPlan['settled'] = [];
  readonly scored: BatchPlan['scored'] = [];
  readonly refunded: { id: string; amount: bigint }[] = [];
  readonly reversed: string[] = [];
  readonly pins: PinUpdate[] = [];
  readonly milestones: BatchPlan['milestones'] = [];
  readonly outbox: OutboxRow[] = [];
  /** Survives a refusal. */
  readonly kept: { pins: PinUpdate[]; outbox: OutboxRow[] } = { pins: [], outbox: [] };

  constructor(private readonly now: Date) {}

  /** A new transaction row, as the database will store it (created now, completed now if so). */
  transaction(t: NewTransaction): TransactionRow {
    const row: TransactionRow = {
      id: t.id,
      reference: reference(t.id),
      type: t.type,
      status: t.status,
      wallet_id: t.walletId,
      user_id: t.userId,
      amount: t.amount.toString(),
      fee: t.fee.toString(),
      currency: t.currency,
      counterparty_wallet_id: t.counterpartyWalletId ?? null,
      counterparty_user_id: t.counterpartyUserId ?? null,
      counterparty_wallet_number: t.counterpartyWalletNumber ?? null,
      merchant_name: t.merchantName ?? null,
      merchant_category: t.merchantCategory ?? null,
      description: t.description ?? '',
      fraud_score: null,
      fraud_flags: null,
      original_transaction_id: t.originalTransactionId ?? null,
      refunded_amount: '0',
      pending_entry_id: t.pendingEntryId ?? null,
      linked_transaction_id: t.linkedTransactionId ?? null,
      created_at: this.now,
      completed_at: t.status === 'completed' ? this.now : null,
      original_amount: t.fx ? t.fx.originalAmount.toString() : null,
      original_currency: t.fx?.originalCurrency ?? null,
      fx_rate: t.fx?.rate ?? null,
      goal_id: t.goalId ?? null,
    };
    this.transactions.push(row);
    return row;
  }

  /** A journal entry and its postings (checked to balance per currency here, and by the database). */
  entry(entry: EntryInput, postings: PostingInput[]): string {
    assertBalanced(postings);
    const id = entry.id ?? uuidv7();
    this.entries.push({ entry: { ...entry, id }, postings });
    return id;
  }

  event<TData>(contract: EventContract<TData>, input: OutboxEventInput<TData>, keep = false): void {
    const row = outboxRow(contract, { occurredAt: this.now, ...input });
    (keep ? this.kept.outbox : this.outbox).push(row);
  }

  pin(update: PinUpdate, keep = false): void {
    (keep ? this.kept.pins : this.pins).push(update);
  }
}

/**
 * Everything a batch's commands decide on: the rows load_batch locked and read, updated in memory
 * as each command succeeds, so the next command of the batch sees the balances, spending, refunded
 * totals and statuses its predecessors left.
 */
export class BatchState {
  readonly now: Date;
  readonly rates: readonly FxRate[];
  private readonly wallets = new Map<string, LoadedWallet>();
  private readonly walletsByNumber = new Map<string, LoadedWallet>();
  private readonly goals = new Map<string, LoadedGoal>();
  private readonly transactions = new Map<string, TransactionRow>();
  private readonly entryPostings = new Map<string, EntryPosting[]>();
  private readonly balances = new Map<string, AccountBalance>();
  private readonly spending = new Map<string, { daily: bigint; monthly: bigint }>();
  private readonly userSpending = new Map<string, Map<string, bigint>>();

  constructor(loaded: LoadedBatch) {
    this.now = new Date(loaded.now);
    this.rates = loaded.rates;
    for (const w of loaded.wallets) {
      this.wallets.set(w.id, w);
      this.walletsByNumber.set(w.wallet_number, w);
    }
    for (const g of loaded.goals) this.goals.set(g.id, g);
    for (const t of loaded.transactions) this.transactions.set(t.id, t);
    for (const p of loaded.postings) {
      const list = this.entryPostings.get(p.transaction_id) ?? [];
      list.push({ entryId: p.entry_id, accountId: p.account_id, accountCode: p.code, direction: p.direction, amount: BigInt(p.amount), currency: p.currency });
      this.entryPostings.set(p.transaction_id, list);
    }
    for (const b of loaded.balances) {
      this.balances.set(b.account_id, {
        postedDebits: BigInt(b.posted_debits),
        postedCredits: BigInt(b.posted_credits),
        pendingDebits: BigInt(b.pending_debits),
        pendingCredits: BigInt(b.pending_credits),
      });
    }
    for (const s of loaded.spending) this.spending.set(s.wallet_id, { daily: BigInt(s.daily), monthly: BigInt(s.monthly) });
    for (const u of loaded.userSpending) {
      const byCurrency = this.userSpending.get(u.user_id) ?? new Map<string, bigint>();
      byCurrency.set(u.currency, BigInt(u.total));
      this.userSpending.set(u.user_id, byCurrency);
    }
  }

  wallet(id: string): LoadedWallet | undefined {
    return this.wallets.get(id);
  }

  walletByNumber(walletNumber: string): LoadedWallet | undefined {
    return this.walletsByNumber.get(walletNumber);
  }

  goal(id: string): LoadedGoal | undefined {
    return this.goals.get(id);
  }

  transaction(id: string): TransactionRow | undefined {
    return this.transactions.get(id);
  }

  /** The postings of the entry that moved the transaction's money (its held entry, else its first posted one). */
  postingsOf(transactionId: string): EntryPosting[] {
    return this.entryPostings.get(transactionId) ?? [];
  }

  balance(accountId: string): AccountBalance {
    return this.balances.get(accountId) ?? { postedDebits: 0n, postedCredits: 0n, pendingDebits: 0n, pendingCredits: 0n };
  }

  /** What a wallet (or goal) account may spend now: posted credits less posted and held debits. */
  available(accountId: string): bigint {
    const b = this.balance(accountId);
    return b.postedCredits - b.postedDebits - b.pendingDebits;
  }

  spent(walletId: string): { daily: bigint; monthly: bigint } {
    return this.spending.get(walletId) ?? { daily: 0n, monthly: 0n };
  }

  /** The user's spending today (LEDGER_DEFAULT_TIME_ZONE's day) per currency, fees included. */
  userSpentToday(userId: string): ReadonlyMap<string, bigint> {
    return this.userSpending.get(userId) ?? new Map();
  }

  /** Applies what a command wrote, so the commands after it in the batch see it. */
  apply(writes: CommandWrites): void {
    for (const { entry, postings } of writes.entries) {
      for (const p of postings) this.applyPosting(entry.phase, p);
    }
    for (const row of writes.transactions) {
      this.transactions.set(row.id, row);
      if (!SPENDING_TYPES.includes(row.type)) continue;
      const debit = BigInt(row.amount) + BigInt(row.fee);
      const spent = this.spent(row.wallet_id);
      this.spending.set(row.wallet_id, { daily: spent.daily + debit, monthly: spent.monthly + debit });
      const byCurrency = this.userSpending.get(row.user_id) ?? new Map<string, bigint>();
      byCurrency.set(row.currency, (byCurrency.get(row.currency) ?? 0n) + debit);
      this.userSpending.set(row.user_id, byCurrency);
    }
    for (const s of writes.settled) this.setStatus(s.id, s.status);
    for (const id of writes.reversed) this.setStatus(id, 'reversed');
    for (const r of writes.refunded) {
      const tx = this.transactions.get(r.id);
      if (tx) this.transactions.set(r.id, { ...tx, refunded_amount: (BigInt(tx.refunded_amount) + r.amount).toString() });
    }
    for (const m of writes.milestones) {
      const goal = this.goals.get(m.goalId);
      if (goal) this.goals.set(m.goalId, { ...goal, milestones: [...goal.milestones, m.milestone] });
    }
    this.applyPins([...writes.pins, ...writes.kept.pins]);
  }

  /** What a refused command still changes (its kept writes). */
  applyKept(writes: CommandWrites): void {
    this.applyPins(writes.kept.pins);
  }

  private applyPins(pins: PinUpdate[]): void {
    for (const pin of pins) {
      const wallet = this.wallets.get(pin.id);
      if (!wallet) continue;
      const updated = { ...wallet, failed_pin_attempts: pin.failedAttempts, pin_locked_until: pin.lockedUntil, pin_hash: pin.pinHash ?? wallet.pin_hash };
      this.wallets.set(pin.id, updated);
      this.walletsByNumber.set(updated.wallet_number, updated);
    }
  }

  private setStatus(id: string, status: string): void {
    for (const [txId, tx] of this.transactions) {
      if (txId === id || tx.linked_transaction_id === id) this.transactions.set(txId, { ...tx, status });
    }
  }

  private applyPosting(phase: EntryInput['phase'], p: PostingInput): void {
    const b = { ...this.balance(p.accountId) };
    const debit = p.direction === 'D';
    if (phase === 'posted' || phase === 'post_pending') {
      if (debit) b.postedDebits += p.amount;
      else b.postedCredits += p.amount;
    }
    if (phase === 'pending') {
      if (debit) b.pendingDebits += p.amount;
      else b.pendingCredits += p.amount;
    }
    if (phase === 'post_pending' || phase === 'void_pending') {
      if (debit) b.pendingDebits -= p.amount;
      else b.pendingCredits -= p.amount;
    }
    this.balances.set(p.accountId, b);
  }
}

/** Merges a command's writes into the batch plan. */
export function addToPlan(plan: BatchPlan, writes: CommandWrites, succeeded: boolean): void {
  if (succeeded) {
    for (const row of writes.transactions) plan.transactions.push(transactionInput(row));
    for (const { entry, postings } of writes.entries) {
      plan.entries.push({
        id: entry.id,
        transactionId: entry.transactionId,
        kind: entry.kind,
        phase: entry.phase,
        pendingEntryId: entry.pendingEntryId ?? null,
        description: entry.description ?? null,
        metadata: entry.metadata ?? {},
      });
      // Sorted by account within the entry, as JournalRepository.append writes them.
      const sorted = [...postings].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
      for (const p of sorted) {
        plan.postings.push({
          entryId: entry.id,
          accountId: p.accountId,
          phase: entry.phase,
          direction: p.direction,
          amount: p.amount.toString(),
          currency: p.currency,
        });
      }
    }
    plan.settled.push(...writes.settled);
    plan.scored.push(...writes.scored);
    for (const r of writes.refunded) plan.refunded.push({ id: r.id, amount: r.amount.toString() });
    plan.reversed.push(...writes.reversed);
    plan.milestones.push(...writes.milestones);
    plan.outbox.push(...writes.outbox);
    for (const pin of writes.pins) mergePin(plan, pin);
  }
  for (const pin of writes.kept.pins) mergePin(plan, pin);
  plan.outbox.push(...writes.kept.outbox);
}

function mergePin(plan: BatchPlan, pin: PinUpdate): void {
  const earlier = plan.pins.get(pin.id);
  plan.pins.set(pin.id, { ...pin, pinHash: pin.pinHash ?? earlier?.pinHash });
}

function transactionInput(row: TransactionRow): Record<string, unknown> {
  return {
    id: row.id,
    reference: row.reference,
    type: row.type,
    status: row.status,
    walletId: row.wallet_id,
    userId: row.user_id,
    amount: row.amount,
    fee: row.fee,
    currency: row.currency,
    counterpartyWalletId: row.counterparty_wallet_id,
    counterpartyUserId: row.counterparty_user_id,
    counterpartyWalletNumber: row.counterparty_wallet_number,
    description: row.description,
    pendingEntryId: row.pending_entry_id,
    linkedTransactionId: row.linked_transaction_id,
    merchantName: row.merchant_name,
    merchantCategory: row.merchant_category,
    originalAmount: row.original_amount,
    originalCurrency: row.original_currency,
    fxRate: row.fx_rate,
    originalTransactionId: row.original_transaction_id,
    goalId: row.goal_id,
  };
}
