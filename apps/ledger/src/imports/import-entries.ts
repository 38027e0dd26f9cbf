import { IMPORT_ENTRY_TYPES, ImportEntryInput, ImportEntryType, isUuid, MAX_IMPORT_ENTRIES, DomainError } from '@tally/contracts';
import { parseAmount } from '@tally/money';

/** What a row needs to know of a wallet named in it. */
export interface ImportWallet {
  id: string;
  walletNumber: string;
  userId: string;
  currency: string;
}

/** A row as it is stored and booked: every value checked, the amount in minor units of its wallet's currency. */
export interface ImportRowPlan {
  type: ImportEntryType;
  walletId: string;
  walletNumber: string;
  userId: string;
  currency: string;
  amountMinor: string;
  occurredAt: string;
  description?: string;
  merchantName?: string;
  merchantCategory?: string;
  toWalletId?: string;
  toWalletNumber?: string;
  /** A refund of a row of this import (its index) or of a transaction booked before. */
  refundOfIndex?: number;
  refundOfTransactionId?: string;
}

export type CheckedRow =
  | { index: number; ref: string | null; type: string; ok: true; plan: ImportRowPlan }
  | { index: number; ref: string | null; type: string; ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

export interface ImportCheckContext {
  now: Date;
  wallets: Map<string, ImportWallet>;
  /** Throws INVALID_AMOUNT outside the currency's per-transaction bounds (the live rule). */
  checkBounds(amountMinor: bigint, currency: string): void;
}

const WALLET_NUMBER = /^WA\d{12}$/;
const CATEGORY = /^[a-z][a-z0-9_]{1,49}$/;
const REF = /^[\w.:-]{1,64}$/;
/** Older history than this is almost surely a wrong date. */
const OLDEST_YEARS = 10;

/** The wallet numbers an import names, to look them up in one query. */
export function walletNumbersOf(entries: ImportEntryInput[]): string[] {
  const numbers = new Set<string>();
  for (const e of entries) {
    for (const n of [e?.walletNumber, e?.toWalletNumber]) if (typeof n === 'string' && WALLET_NUMBER.test(n)) numbers.add(n);
  }
  return [...numbers];
}

/** The import as a whole: a list of 1 to MAX_IMPORT_ENTRIES rows and an optional description. */
export function checkImportShape(payload: { description?: unknown; entries?: unknown }): void {
  const problems: Record<string, string> = {};
  if (!Array.isArray(payload?.entries) || payload.entries.length < 1 || payload.entries.length > MAX_IMPORT_ENTRIES) {
    problems.entries = `must be a list of 1 to ${MAX_IMPORT_ENTRIES} rows`;
  }
  if (payload?.description !== undefined && (typeof payload.description !== 'string' || payload.description.length > 200)) {
    problems.description = 'must be text of at most 200 characters';
  }
  if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The import is invalid', problems);
}

/**
 * Checks every row on its own (a bad row is rejected with its reason, the others go on): type,
 * wallets, amount for the wallet's currency within the live per-transaction bounds, a time in the
 * past, a purchase's merchant, a transfer between two wallets of one currency, a refund of a
 * purchase that comes earlier. Funds, wallet status and the refundable remainder are checked when
 * the row is booked, against the ledger as it is then.
 */
export function checkImportEntries(entries: ImportEntryInput[], context: ImportCheckContext): CheckedRow[] {
  const byRef = new Map<string, number>();
  const checked: CheckedRow[] = [];
  entries.forEach((entry, index) => {
    const ref = typeof entry?.ref === 'string' ? entry.ref : null;
    const type = typeof entry?.type === 'string' ? entry.type : '';
    const refuse = (code: string, message: string, details?: Record<string, unknown>): CheckedRow => ({
      index,
      ref,
      type,
      ok: false,
      error: { code, message, ...(details ? { details } : {}) },
    });
    const result = ((): CheckedRow => {
      if (typeof entry !== 'object' || entry === null) return refuse('VALIDATION_FAILED', 'The row must be an object');
      if (entry.ref !== undefined && (ref === null || !REF.test(ref))) return refuse('VALIDATION_FAILED', 'ref must be 1 to 64 letters, digits or ._:-');
      if (ref !== null && byRef.has(ref)) return refuse('VALIDATION_FAILED', `ref ${ref} is used by an earlier row`);
      if (!(IMPORT_ENTRY_TYPES as readonly string[]).includes(type)) return refuse('VALIDATION_FAILED', `type must be one of ${IMPORT_ENTRY_TYPES.join(', ')}`);
      const wallet = typeof entry.walletNumber === 'string' ? context.wallets.get(entry.walletNumber) : undefined;
      if (!wallet) return refuse('NOT_FOUND', 'No wallet has this walletNumber', { walletNumber: entry.walletNumber ?? null });
      const occurredAt = typeof entry.occurredAt === 'string' && /[zZ]|[+-]\d{2}:?\d{2}$/.test(entry.occurredAt) ? new Date(entry.occurredAt) : new Date(NaN);
      if (Number.isNaN(occurredAt.getTime())) return refuse('VALIDATION_FAILED', 'occurredAt must be an ISO 8601 time with a zone');
      if (occurredAt > context.now) return refuse('VALIDATION_FAILED', 'occurredAt must not be in the future');
      if (occurredAt.getUTCFullYear() < context.now.getUTCFullYear() - OLDEST_YEARS)
        return refuse('VALIDATION_FAILED', `occurredAt must be within the last ${OLDEST_YEARS} years`);
      if (entry.description !== undefined && (typeof entry.description !== 'string' || entry.description.length > 200)) {
        return refuse('VALIDATION_FAILED', 'description must be text of at most 200 characters');
      }
      let amountMinor: bigint;
      try {
        amountMinor = parseAmount(entry.amount, wallet.currency);
        context.checkBounds(amountMinor, wallet.currency);
      } catch (err) {
        const e = err as { code?: string; message: string; details?: Record<string, unknown> };
        return refuse(e.code ?? 'INVALID_AMOUNT', e.message, e.details);
      }
      const plan: ImportRowPlan = {
        type: type as ImportEntryType,
        walletId: wallet.id,
        walletNumber: wallet.walletNumber,
        userId: wallet.userId,
        currency: wallet.currency,
        amountMinor: amountMinor.toString(),
        occurredAt: occurredAt.toISOString(),
        ...(entry.description ? { description: entry.description } : {}),
      };
      if (type === 'purchase') {
        if (typeof entry.merchantName !== 'string' || entry.merchantName.trim().length < 1 || entry.merchantName.length > 100) {
          return refuse('VALIDATION_FAILED', 'A purchase needs merchantName (1 to 100 characters)');
        }
        if (typeof entry.merchantCategory !== 'string' || !CATEGORY.test(entry.merchantCategory)) {
          return refuse('VALIDATION_FAILED', 'A purchase needs merchantCategory such as food_beverage');
        }
        plan.merchantName = entry.merchantName.trim();
        plan.merchantCategory = entry.merchantCategory;
      }
      if (type === 'transfer') {
        const to = typeof entry.toWalletNumber === 'string' ? context.wallets.get(entry.toWalletNumber) : undefined;
        if (!to) return refuse('NOT_FOUND', 'No wallet has this toWalletNumber', { toWalletNumber: entry.toWalletNumber ?? null });
        if (to.id === wallet.id) return refuse('VALIDATION_FAILED', 'A transfer goes to another wallet');
        if (to.currency !== wallet.currency) return refuse('CURRENCY_MISMATCH', `The receiving wallet holds ${to.currency}, not ${wallet.currency}`);
        plan.toWalletId = to.id;
        plan.toWalletNumber = to.walletNumber;
      }
      if (type === 'refund') {
        const of = typeof entry.refundOf === 'string' ? entry.refundOf : '';
        const earlier = byRef.get(of);
        if (earlier !== undefined) {
          const purchase = checked[earlier];
          if (!purchase.ok || purchase.plan.type !== 'purchase')
            return refuse('VALIDATION_FAILED', `refundOf ${of} is not an accepted purchase of this import`);
          if (purchase.plan.walletId !== wallet.id) return refuse('VALIDATION_FAILED', 'A refund goes back to the wallet that paid');
          if (purchase.plan.occurredAt > plan.occurredAt) return refuse('VALIDATION_FAILED', 'A refund cannot happen before its purchase');
          if (BigInt(purchase.plan.amountMinor) < amountMinor) return refuse('REFUND_EXCEEDS_ORIGINAL', 'The refund is larger than the purchase');
          plan.refundOfIndex = earlier;
        } else if (isUuid(of)) {
          plan.refundOfTransactionId = of;
        } else {
          return refuse('VALIDATION_FAILED', 'A refund names its purchase in refundOf: the ref of an earlier row, or a transaction id');
        }
      }
      return { index, ref, type, ok: true, plan };
    })();
    if (ref !== null && result.ok) byRef.set(ref, index);
    checked.push(result);
  });
  return checked;
}
