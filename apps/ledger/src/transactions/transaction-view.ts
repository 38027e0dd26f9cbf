import { TransactionEventData, TransactionView } from '@tally/contracts';
import { formatAmount } from '@tally/money';
import { TransactionRow } from './transactions.repository';

/**
 * What a pending debit's event adds for fraud: the wallet's time zone (off-hours rule) and the
 * debit (fee included) in the base currency at the rate the user's daily limit just used (high-value
 * rule), so fraud needs neither the ledger's wallets nor its rates. No rate to the base: left out.
 */
export function scoringContext(
  timeZone: string,
  inBase: { to: string; convertedMinor: bigint } | undefined,
): Pick<TransactionEventData, 'timeZone' | 'baseCurrency' | 'baseAmountMinor'> {
  return inBase ? { timeZone, baseCurrency: inBase.to, baseAmountMinor: String(inBase.convertedMinor) } : { timeZone };
}

/**
 * A transaction as its owner (or the other side of a transfer) sees it: without fraud's score and
 * flags, which only admins and auditors see (toStaffTransactionView), so neither the payer nor
 * the receiver learns how a payment was judged.
 */
export function toTransactionView(row: TransactionRow): TransactionView {
  const view: TransactionView = {
    id: row.id,
    reference: row.reference,
    type: row.type,
    status: row.status,
    amount: formatAmount(BigInt(row.amount), row.currency),
    currency: row.currency,
    fee: formatAmount(BigInt(row.fee), row.currency),
    walletId: row.wallet_id,
    description: row.description,
    refundedAmount: formatAmount(BigInt(row.refunded_amount), row.currency),
    createdAt: new Date(row.created_at).toISOString(),
  };
  if (row.counterparty_wallet_number) view.counterpartyWalletNumber = row.counterparty_wallet_number;
  if (row.merchant_name) view.merchantName = row.merchant_name;
  if (row.merchant_category) view.merchantCategory = row.merchant_category;
  if (row.original_transaction_id) view.originalTransactionId = row.original_transaction_id;
  if (row.completed_at) view.completedAt = new Date(row.completed_at).toISOString();
  if (row.original_amount && row.original_currency && row.fx_rate) {
    view.originalAmount = formatAmount(BigInt(row.original_amount), row.original_currency);
    view.originalCurrency = row.original_currency;
    view.fxRate = row.fx_rate;
  }
  if (row.goal_id) view.goalId = row.goal_id;
  return view;
}

/** The view for admin and auditor routes: fraud's score and flags included. */
export function toStaffTransactionView(row: TransactionRow): TransactionView {
  const view = toTransactionView(row);
  if (row.fraud_score !== null) view.fraudScore = row.fraud_score;
  if (row.fraud_flags) view.fraudFlags = row.fraud_flags;
  return view;
}

export function toTransactionEvent(row: TransactionRow): TransactionEventData {
  return {
    transactionId: row.id,
    reference: row.reference,
    type: row.type,
    status: row.status,
    walletId: row.wallet_id,
    userId: row.user_id,
    amountMinor: String(row.amount),
    feeMinor: String(row.fee),
    currency: row.currency,
    counterpartyWalletId: row.counterparty_wallet_id,
    counterpartyUserId: row.counterparty_user_id,
    counterpartyWalletNumber: row.counterparty_wallet_number,
    merchantName: row.merchant_name,
    merchantCategory: row.merchant_category,
    description: row.description,
    createdAt: new Date(row.created_at).toISOString(),
    ...(row.original_amount ? { originalAmountMinor: String(row.original_amount), originalCurrency: row.original_currency, fxRate: row.fx_rate } : {}),
    ...(row.goal_id ? { goalId: row.goal_id } : {}),
  };
}
