import { Actor } from '@tally/contracts';
import { LedgerHarness } from '../testing/ledger-harness';
import { Books } from './event-replay';

/**
 * What the property test expects of the ledger, kept apart from it: balances, holds, limits and
 * statuses are tracked from the operations' outcomes alone, and fees, FX conversions and bounds are
 * computed here with plain bigint arithmetic from the documented rules rather than by @tally/money,
 * so the ledger's own code is checked, not reused.
 */

/** Wallet currencies of the sequences: 2, 0, 3 and 2 minor digits (MYR is the base of the user limit). */
export const MODEL_CURRENCIES = ['USD', 'JPY', 'KWD', 'MYR'] as const;
export type ModelCurrency = (typeof MODEL_CURRENCIES)[number];
/** Currencies a purchase may be priced in: the wallets' and one with a rate but no wallet. */
export const PURCHASE_CURRENCIES = [...MODEL_CURRENCIES, 'SGD'] as const;
export type PurchaseCurrency = (typeof PURCHASE_CURRENCIES)[number];

const SCALE: Record<PurchaseCurrency, bigint> = { USD: 100n, JPY: 1n, KWD: 1000n, MYR: 100n, SGD: 100n };

export function scaleOf(currency: PurchaseCurrency): bigint {
  return SCALE[currency];
}

/** Minor units as the API writes them: "12.34" USD, "1500" JPY, "1.250" KWD. */
export function decimalText(minor: bigint, currency: PurchaseCurrency): string {
  const scale = SCALE[currency];
  const digits = scale.toString().length - 1;
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  if (digits === 0) return `${sign}${abs}`;
  return `${sign}${abs / scale}.${(abs % scale).toString().padStart(digits, '0')}`;
}

/** The per-transaction minimum, 0.01 in major units, never below one minor unit (1 JPY, 0.010 KWD). */
export function minimumAmount(currency: PurchaseCurrency): bigint {
  const scale = SCALE[currency];
  return scale <= 100n ? 1n : scale / 100n;
}

/** The transfer fee: 0.2 % rounded half-up to the minor unit, at least 0.50 (1 JPY), at most 100.00. */
export function expectedTransferFee(amount: bigint, currency: ModelCurrency): bigint {
  const scale = SCALE[currency];
  const min = scale === 1n ? 1n : scale / 2n;
  const max = 100n * scale;
  const raw = (amount * 2n + 500n) / 1000n;
  return raw < min ? min : raw > max ? max : raw;
}

/**
 * The stored quotes (USD/MYR 4.70, SGD/MYR 3.50, JPY/MYR 0.030, KWD/MYR 15.30) as fractions, both
 * ways. An inverse is 1 ÷ rate rounded half-up to 15 significant digits (1/4.7 = 0.2127659574468085…
 * → 0.212765957446809, 1/3.5 → 0.285714285714286, 1/0.03 → 33.3333333333333, 1/15.3 →
 * 0.0653594771241830 → 0.065359477124183). No cross rates: USD↔SGD, USD↔JPY and the like have none.
 */
const RATES: Record<string, { num: bigint; den: bigint }> = {
  'USD/MYR': { num: 47n, den: 10n },
  'SGD/MYR': { num: 35n, den: 10n },
  'JPY/MYR': { num: 3n, den: 100n },
  'KWD/MYR': { num: 153n, den: 10n },
  'MYR/USD': { num: 212765957446809n, den: 10n ** 15n },
  'MYR/SGD': { num: 285714285714286n, den: 10n ** 15n },
  'MYR/JPY': { num: 333333333333333n, den: 10n ** 13n },
  'MYR/KWD': { num: 65359477124183n, den: 10n ** 15n },
};

/** amount × rate in the target's minor units, rounded half-up; undefined without a rate. */
export function convert(amount: bigint, from: PurchaseCurrency, to: PurchaseCurrency): bigint | undefined {
  if (from === to) return amount;
  const rate = RATES[`${from}/${to}`];
  if (!rate) return undefined;
  const num = amount * rate.num * SCALE[to];
  const den = rate.den * SCALE[from];
  return (2n * num + den) / (2n * den);
}

/** The per-user daily limit across wallets: 100 000 MYR (in minor units), spending converted to MYR. */
export const USER_DAILY_LIMIT_MYR = 100_000n * 100n;

/** The most a wallet may allow a day: the per-user daily limit in its currency, in whole major units (rounded down). */
export function walletDailyCap(currency: ModelCurrency): bigint {
  const inCurrency = convert(USER_DAILY_LIMIT_MYR, 'MYR', currency) as bigint;
  return (inCurrency / SCALE[currency]) * SCALE[currency];
}

export type WalletStatus = 'active' | 'frozen' | 'closed';

export interface ModelWallet {
  id: string;
  number: string;
  owner: number;
  currency: ModelCurrency;
  status: WalletStatus;
  /** Posted: credits minus debits. */
  balance: bigint;
  /** Held by pending debits. */
  held: bigint;
  /** Pending credits (a transfer on its way in): a wallet with any cannot be closed. */
  incoming: bigint;
  dailyLimit: bigint;
  monthlyLimit: bigint;
}

export type MovementKind = 'deposit' | 'transfer' | 'withdrawal' | 'purchase' | 'refund' | 'goal_contribution' | 'goal_withdrawal';

/** A movement the ledger acknowledged, with what it did to which wallets. */
export interface ModelMovement {
  id: string;
  kind: MovementKind;
  wallet: number;
  /** A transfer's receiving wallet. */
  to?: number;
  /** In the wallet's currency (a purchase in another currency: the converted amount). */
  amount: bigint;
  fee: bigint;
  status: 'pending' | 'completed' | 'voided' | 'reversed';
  refunded: bigint;
  /** A purchase in another currency: what was paid, in what. */
  paid?: { amount: bigint; currency: PurchaseCurrency };
  /** A goal contribution or withdrawal: the goal (index in LedgerModel.goals) it went to or came from. */
  goal?: number;
}

/** A savings goal: a ledger account of its owner that contributions fill. */
export interface ModelGoal {
  id: string;
  owner: number;
  currency: ModelCurrency;
  target: bigint;
  /** Posted credits minus debits of the goal's account. */
  saved: bigint;
  /** Milestones (25/50/75/100) already announced: each goes out once per goal. */
  announced: number[];
}

/** A command the ledger acknowledged, to be sent again with its key. */
export interface AcknowledgedCommand {
  kind: 'deposit' | 'transfer' | 'withdrawal' | 'purchase' | 'goal_contribution' | 'goal_withdrawal';
  actor: Actor;
  key: string;
  payload: Record<string, string>;
  transactionId: string;
}

/** Rows a run should have added to the ledger's tables, by table (outbox: ledger.events only). */
export interface ExpectedRows {
  journal_entries: number;
  transactions: number;
  outbox: number;
  idempotency_keys: number;
  wallets: number;
}

export interface LedgerModel {
  wallets: ModelWallet[];
  movements: ModelMovement[];
  acknowledged: AcknowledgedCommand[];
  goals: ModelGoal[];
  added: ExpectedRows;
}

/** The system under test for one run: the ledger plus this run's fresh users and an admin. */
export interface LedgerUnderTest {
  ledger: LedgerHarness;
  users: Actor[];
  admin: Actor;
  /** A merchant's system calling with an API key that may refund (refunds:write). */
  merchant: Actor;
  /** Row counts when the run began (see ExpectedRows). */
  baseline: ExpectedRows;
  /** The ledger's books when the run began: system accounts are shared by every run. */
  booksAtStart: Books;
  startedAt: Date;
  /** UTC day the run began: limits restart at midnight, which the model does not follow. */
  day: string;
}

export function emptyModel(): LedgerModel {
  return {
    wallets: [],
    movements: [],
    acknowledged: [],
    goals: [],
    added: { journal_entries: 0, transactions: 0, outbox: 0, idempotency_keys: 0, wallets: 0 },
  };
}

export function available(wallet: ModelWallet): bigint {
  return wallet.balance - wallet.held;
}

const SPENDING: MovementKind[] = ['transfer', 'withdrawal', 'purchase'];

/** Amount + fee of the wallet's pending and completed spending: what its daily and monthly limits count. */
export function spent(m: LedgerModel, wallet: ModelWallet): bigint {
  const index = m.wallets.indexOf(wallet);
  return m.movements
    .filter((t) => t.wallet === index && SPENDING.includes(t.kind) && (t.status === 'pending' || t.status === 'completed'))
    .reduce((sum, t) => sum + t.amount + t.fee, 0n);
}

/**
 * The user limit's view of a debit of `amount` from `wallet`: the user's spending today, each
 * currency's total converted to MYR, plus this debit converted. Every wallet currency has a rate to
 * MYR; undefined would mean one had none (the ledger then refuses the debit: FX_RATE_UNAVAILABLE).
 */
export function userSpendingAfter(m: LedgerModel, wallet: ModelWallet, amount: bigint): bigint | undefined {
  const debit = convert(amount, wallet.currency, 'MYR');
  if (debit === undefined) return undefined;
  let total = debit;
  for (const currency of MODEL_CURRENCIES) {
    const inCurrency = m.wallets.filter((w) => w.owner === wallet.owner && w.currency === currency).reduce((sum, w) => sum + spent(m, w), 0n);
    total += inCurrency > 0n ? (convert(inCurrency, currency, 'MYR') ?? 0n) : 0n;
  }
  return total;
}

export function utcDay(at = new Date()): string {
  return at.toISOString().slice(0, 10);
}
