import {
  EventContract,
  EventEnvelope,
  TransactionEventData,
  TransactionPendingV1,
  TransactionPostedV1,
  TransactionReversedV1,
  TransactionVoidedV1,
  WalletOpenedV1,
} from '@tally/contracts';
import { toTransactionEvent } from '../transactions/transaction-view';
import { TransactionRow } from '../transactions/transactions.repository';
import { ledgerEventId } from './ledger-event-id';

/** A journal entry with what replay needs to announce it again. */
export interface ReplayEntry {
  id: string;
  kind: string;
  phase: 'posted' | 'pending' | 'post_pending' | 'void_pending';
  metadata: Record<string, unknown>;
  created_at: Date;
  /** The first debit and credit posting's account, in posting order (what the live path names as subject). */
  first_debit_account: string | null;
  first_credit_account: string | null;
}

export interface ReplayWallet {
  id: string;
  wallet_number: string;
  user_id: string;
  currency: string;
  created_at: Date;
}

export interface ReplayEvent {
  contract: EventContract<unknown>;
  envelope: EventEnvelope<unknown>;
}

/**
 * The event the live path published for a journal entry, rebuilt from the entry and its
 * transaction row: same type, id (see ledgerEventId), subject and data, with the status the
 * transaction had at that entry (the row shows today's). One place to extend when a new kind of
 * entry is announced differently.
 */
export function replayEventForEntry(entry: ReplayEntry, tx: TransactionRow, walletAccountId: string): ReplayEvent {
  const base = toTransactionEvent(tx);
  const reason = typeof entry.metadata?.reason === 'string' ? entry.metadata.reason : undefined;
  let contract: EventContract<TransactionEventData>;
  let data: TransactionEventData;
  let subject = walletAccountId;
  switch (entry.phase) {
    case 'pending':
      contract = TransactionPendingV1;
      // The scoring context the live event carried (time zone, base-currency amount), kept on the entry.
      data = { ...base, status: 'pending', ...scoringOf(entry.metadata) };
      break;
    case 'post_pending':
      contract = TransactionPostedV1;
      data = { ...base, status: 'completed' };
      subject = entry.first_debit_account ?? tx.wallet_id;
      break;
    case 'void_pending':
      contract = TransactionVoidedV1;
      data = reason ? { ...base, status: 'voided', reason } : { ...base, status: 'voided' };
      subject = entry.first_debit_account ?? tx.wallet_id;
      break;
    case 'posted':
      if (entry.kind === 'reversal') {
        // The reversal's credits are the original's debits; the live path names the first of those.
        contract = TransactionReversedV1;
        data = { ...base, status: 'reversed', reason: reason ?? null };
        subject = entry.first_credit_account ?? tx.wallet_id;
      } else if (entry.kind === 'refund') {
        contract = TransactionPostedV1;
        data = { ...base, status: 'completed', originalTransactionId: tx.original_transaction_id, reason: reason ?? null };
      } else {
        contract = TransactionPostedV1;
        data = { ...base, status: 'completed', ...importedOf(entry.metadata) };
      }
      break;
    default:
      throw new Error(`journal entry ${entry.id} has unknown phase ${String(entry.phase)}`);
  }
  return envelopeFor(contract as EventContract<unknown>, entry.id, subject, new Date(entry.created_at), data);
}

export function replayEventForWallet(wallet: ReplayWallet): ReplayEvent {
  const data: WalletOpenedV1 = {
    walletId: wallet.id,
    walletNumber: wallet.wallet_number,
    userId: wallet.user_id,
    currency: wallet.currency.trim(),
  };
  return envelopeFor(WalletOpenedV1 as EventContract<unknown>, wallet.id, wallet.id, new Date(wallet.created_at), data);
}

function envelopeFor(contract: EventContract<unknown>, sourceId: string, subject: string, occurredAt: Date, data: unknown): ReplayEvent {
  return {
    contract,
    envelope: {
      id: ledgerEventId(sourceId, contract.type),
      type: contract.type,
      version: contract.version,
      source: 'ledger',
      subject,
      occurredAt: occurredAt.toISOString(),
      data,
    },
  };
}

function scoringOf(metadata: Record<string, unknown> | undefined): Partial<TransactionEventData> {
  const scoring = metadata?.scoring;
  return scoring && typeof scoring === 'object' ? (scoring as Partial<TransactionEventData>) : {};
}

/** Imported history: the live event said so, and when it happened (the entry keeps both). */
function importedOf(metadata: Record<string, unknown> | undefined): Pick<TransactionEventData, 'imported' | 'occurredAt'> {
  const imported = metadata?.imported as { occurredAt?: unknown } | undefined;
  return typeof imported?.occurredAt === 'string' ? { imported: true, occurredAt: imported.occurredAt } : {};
}
