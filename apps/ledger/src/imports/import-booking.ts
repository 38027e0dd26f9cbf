import { DomainError, TransactionPostedV1, TransactionView, uuidv7 } from '@tally/contracts';
import { percentageFee } from '@tally/money';
import { LedgerConfig } from '../config/ledger.config';
import { transferFeeRule } from '../fees/transfer-fee';
import { requestHash } from '../idempotency/idempotency.repository';
import { PostingInput } from '../journal/journal.repository';
import { LoadedWallet } from '../posting/batch-state';
import { DecisionContext, PostingCommand } from '../posting/posting-command';
import { purchaseLegs, refundAmount, refundPostings } from '../refunds/refund-amounts';
import { ledgerEventId } from '../replay/ledger-event-id';
import { toTransactionEvent, toTransactionView } from '../transactions/transaction-view';
import { NewTransaction, TransactionRow } from '../transactions/transactions.repository';
import { ImportRowPlan } from './import-entries';

/** The system accounts a row's entry may touch, looked up before the batch (they are created on first use). */
export interface ImportAccounts {
  funding: string;
  merchantSettlement: string;
  feeRevenue: string;
}

export interface ImportRowRef {
  importId: string;
  index: number;
  plan: ImportRowPlan;
  /** A refund: the purchase it refunds (booked by an earlier row, or named by id). */
  purchaseId?: string;
}

/**
 * One import row as a posting-kernel command: the same write path, locks and checks as live money
 * (the wallet active, funds, the currency, a transfer's fee, a refund never above what is left of
 * its purchase), posted at once (it already happened; there is nothing for fraud to hold), under
 * the Idempotency-Key `import:<id>` / row index, so a row booked before a restart is answered
 * again, never booked twice. Limits are not checked: they guard today's spending, and history does
 * not count toward it (the entry's `imported` metadata dates its rows to occurredAt). Every event
 * says imported and occurredAt, so projections put it where it happened and nobody is notified of
 * old news.
 */
export function importRowCommand(ref: ImportRowRef, accounts: ImportAccounts, config: Pick<LedgerConfig, 'transferFees'>): PostingCommand<TransactionView> {
  const { plan } = ref;
  const amount = BigInt(plan.amountMinor);
  const imported = { importId: ref.importId, row: ref.index, occurredAt: plan.occurredAt };
  const needs = {
    claim: {
      scope: `import:${ref.importId}`,
      key: String(ref.index),
      command: 'import.row',
      hash: requestHash('import.row', { ...plan, purchaseId: ref.purchaseId ?? null }),
    },
    ...(plan.type === 'deposit' ? { sharedWallets: [plan.walletId] } : {}),
    ...(plan.type === 'withdrawal' || plan.type === 'purchase' ? { wallets: [plan.walletId] } : {}),
    ...(plan.type === 'transfer' && plan.toWalletId ? { wallets: [plan.walletId], sharedWallets: [plan.toWalletId] } : {}),
    ...(plan.type === 'refund' && ref.purchaseId ? { transactions: [ref.purchaseId], sharedWallets: [plan.walletId] } : {}),
  };
  return {
    kind: `import_${plan.type}`,
    needs,
    decide: (ctx) => {
      const wallet = activeWallet(ctx, plan.walletId, plan.type === 'refund');
      const book = (type: string, legs: PostingInput[], row: Partial<NewTransaction>, linked?: (id: string) => NewTransaction[]) =>
        bookPosted(ctx, wallet, { type, amount, legs, row, linked, description: plan.description, imported });
      switch (plan.type) {
        case 'deposit':
          return book(
            'deposit',
            [
              { accountId: accounts.funding, direction: 'D', amount, currency: wallet.currency },
              { accountId: wallet.account_id, direction: 'C', amount, currency: wallet.currency },
            ],
            {},
          );
        case 'withdrawal':
          requireFunds(ctx, wallet, amount);
          return book(
            'withdrawal',
            [
              { accountId: wallet.account_id, direction: 'D', amount, currency: wallet.currency },
              { accountId: accounts.funding, direction: 'C', amount, currency: wallet.currency },
            ],
            {},
          );
        case 'purchase':
          requireFunds(ctx, wallet, amount);
          return book(
            'purchase',
            [
              { accountId: wallet.account_id, direction: 'D', amount, currency: wallet.currency },
              { accountId: accounts.merchantSettlement, direction: 'C', amount, currency: wallet.currency },
            ],
            { merchantName: plan.merchantName, merchantCategory: plan.merchantCategory },
          );
        case 'transfer': {
          const to = activeWallet(ctx, plan.toWalletId as string, false);
          if (to.currency !== wallet.currency) throw new DomainError('CURRENCY_MISMATCH', `The receiving wallet holds ${to.currency}, not ${wallet.currency}`);
          const fee = percentageFee(amount, transferFeeRule(wallet.currency, config.transferFees));
          requireFunds(ctx, wallet, amount + fee);
          const legs: PostingInput[] = [
            { accountId: wallet.account_id, direction: 'D', amount: amount + fee, currency: wallet.currency },
            { accountId: to.account_id, direction: 'C', amount, currency: wallet.currency },
          ];
          if (fee > 0n) legs.push({ accountId: accounts.feeRevenue, direction: 'C', amount: fee, currency: wallet.currency });
          return book(
            'transfer_out',
            legs,
            { fee, counterpartyWalletId: to.id, counterpartyUserId: to.user_id, counterpartyWalletNumber: to.wallet_number },
            (transactionId) => [
              {
                id: uuidv7(),
                type: 'transfer_in',
                status: 'completed',
                walletId: to.id,
                userId: to.user_id,
                amount,
                fee: 0n,
                currency: to.currency,
                counterpartyWalletId: wallet.id,
                counterpartyUserId: wallet.user_id,
                counterpartyWalletNumber: wallet.wallet_number,
                description: plan.description,
                linkedTransactionId: transactionId,
              },
            ],
          );
        }
        case 'refund': {
          const purchase = ref.purchaseId ? ctx.state.transaction(ref.purchaseId) : undefined;
          if (!purchase || purchase.type !== 'purchase' || purchase.wallet_id !== wallet.id) {
            throw new DomainError('NOT_FOUND', 'The purchase to refund was not booked for this wallet');
          }
          if (purchase.status !== 'completed')
            throw new DomainError('CONFLICT', `A ${purchase.status} purchase cannot be refunded`, { status: purchase.status });
          const before = BigInt(purchase.refunded_amount);
          const refunded = refundAmount(BigInt(purchase.amount), before, amount);
          const legs = refundPostings(
            purchaseLegs(ctx.state.postingsOf(purchase.id), wallet.account_id, BigInt(purchase.fee)),
            BigInt(purchase.amount),
            before,
            before + refunded,
          );
          ctx.writes.refunded.push({ id: purchase.id, amount: refunded });
          return book('refund', legs, {
            originalTransactionId: purchase.id,
            merchantName: purchase.merchant_name ?? undefined,
            merchantCategory: purchase.merchant_category ?? undefined,
          });
        }
      }
    },
  };
}

/** The row's wallet, locked by the batch; a refund may still reach a frozen wallet (money coming back), never a closed one. */
function activeWallet(ctx: DecisionContext, walletId: string, refund: boolean): LoadedWallet {
  const wallet = ctx.state.wallet(walletId);
  if (!wallet) throw new DomainError('NOT_FOUND', 'Wallet not found');
  if (refund ? wallet.status === 'closed' : wallet.status !== 'active') throw new DomainError('WALLET_NOT_ACTIVE', `The wallet is ${wallet.status}`);
  return wallet;
}

function requireFunds(ctx: DecisionContext, wallet: LoadedWallet, debit: bigint): void {
  if (ctx.state.available(wallet.account_id) < debit) throw new DomainError('INSUFFICIENT_FUNDS', 'Insufficient funds');
}

/** A posted entry, its completed transaction row(s) and transaction.posted, marked imported with when it happened. */
function bookPosted(
  ctx: DecisionContext,
  wallet: LoadedWallet,
  booking: {
    type: string;
    amount: bigint;
    legs: PostingInput[];
    row: Partial<NewTransaction>;
    linked?: (transactionId: string) => NewTransaction[];
    description?: string;
    imported: { importId: string; row: number; occurredAt: string };
  },
): TransactionView {
  const transactionId = uuidv7();
  const row: TransactionRow = ctx.writes.transaction({
    id: transactionId,
    type: booking.type,
    status: 'completed',
    walletId: wallet.id,
    userId: wallet.user_id,
    amount: booking.amount,
    fee: 0n,
    currency: wallet.currency,
    description: booking.description,
    ...booking.row,
  });
  for (const linked of booking.linked?.(transactionId) ?? []) ctx.writes.transaction(linked);
  const kind = booking.type === 'transfer_out' ? 'transfer' : booking.type;
  const entryId = ctx.writes.entry(
    {
      id: uuidv7(),
      transactionId,
      kind,
      phase: 'posted',
      description: booking.description,
      metadata: { imported: booking.imported, ...(row.fee !== '0' ? { fee: row.fee } : {}) },
    },
    booking.legs,
  );
  // The database dates the rows to occurredAt in this same transaction (ledger.date_imported_entry); the event says so too.
  const dated = { ...row, created_at: new Date(booking.imported.occurredAt) };
  ctx.writes.event(TransactionPostedV1, {
    id: ledgerEventId(entryId, TransactionPostedV1.type),
    source: 'ledger',
    subject: wallet.account_id,
    data: {
      ...toTransactionEvent(dated),
      ...(row.original_transaction_id ? { originalTransactionId: row.original_transaction_id } : {}),
      occurredAt: booking.imported.occurredAt,
      imported: true,
    },
  });
  return { ...toTransactionView(dated), imported: true, occurredAt: booking.imported.occurredAt };
}
