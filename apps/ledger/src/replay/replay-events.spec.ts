import { eventProblems, replayedOnLedgerReplay, TransactionEventData, WalletOpenedV1 } from '@tally/contracts';
import { TransactionRow } from '../transactions/transactions.repository';
import { ledgerEventId } from './ledger-event-id';
import { ReplayEntry, replayEventForEntry, replayEventForWallet } from './replay-events';

const WALLET_ACCOUNT = '0190f5c2-0000-7000-8000-00000000000a';
const OTHER_ACCOUNT = '0190f5c2-0000-7000-8000-00000000000b';
const ENTRY_ID = '0190f5c2-0000-7000-8000-0000000000e1';

// Today's row: the transfer has since been posted; replay must still say "pending" for its hold.
const tx: TransactionRow = {
  id: '0190f5c2-0000-7000-8000-000000000001',
  reference: 'TX-1',
  type: 'transfer_out',
  status: 'completed',
  wallet_id: '0190f5c2-0000-7000-8000-0000000000a1',
  user_id: '0190f5c2-0000-7000-8000-0000000000b1',
  amount: '10000',
  fee: '50',
  currency: 'USD',
  counterparty_wallet_id: '0190f5c2-0000-7000-8000-0000000000a2',
  counterparty_user_id: '0190f5c2-0000-7000-8000-0000000000b2',
  counterparty_wallet_number: 'WA000000000002',
  merchant_name: null,
  merchant_category: null,
  description: '',
  fraud_score: 10,
  fraud_flags: [],
  original_transaction_id: null,
  refunded_amount: '0',
  pending_entry_id: ENTRY_ID,
  linked_transaction_id: null,
  created_at: new Date('2025-01-01T10:00:00Z'),
  completed_at: new Date('2025-01-01T10:00:01Z'),
  original_amount: null,
  original_currency: null,
  fx_rate: null,
  goal_id: null,
};

const entry = (phase: ReplayEntry['phase'], kind = 'transfer', metadata: Record<string, unknown> = {}): ReplayEntry => ({
  id: ENTRY_ID,
  kind,
  phase,
  metadata,
  created_at: new Date('2025-01-01T10:00:00.500Z'),
  first_debit_account: WALLET_ACCOUNT,
  first_credit_account: OTHER_ACCOUNT,
});

describe('replayEventForEntry', () => {
  it.each([
    ['pending', 'transfer', 'transaction.pending', 'pending'],
    ['post_pending', 'transfer', 'transaction.posted', 'completed'],
    ['void_pending', 'transfer', 'transaction.voided', 'voided'],
    ['posted', 'deposit', 'transaction.posted', 'completed'],
    ['posted', 'reversal', 'transaction.reversed', 'reversed'],
  ] as const)('announces a %s %s entry as %s with status %s, and a valid envelope', (phase, kind, type, status) => {
    const { contract, envelope } = replayEventForEntry(entry(phase, kind), tx, WALLET_ACCOUNT);
    expect(envelope).toMatchObject({ type, version: 1, source: 'ledger', id: ledgerEventId(ENTRY_ID, type), occurredAt: '2025-01-01T10:00:00.500Z' });
    expect((envelope.data as TransactionEventData).status).toBe(status);
    expect(eventProblems(replayedOnLedgerReplay(contract), envelope)).toEqual([]);
    expect(replayedOnLedgerReplay(contract).topic).toBe('ledger.replay');
  });

  it('keeps what the transaction says (amounts as minor-unit strings, counterparty)', () => {
    const data = replayEventForEntry(entry('pending'), tx, WALLET_ACCOUNT).envelope.data as TransactionEventData;
    expect(data).toMatchObject({
      transactionId: tx.id,
      type: 'transfer_out',
      amountMinor: '10000',
      feeMinor: '50',
      counterpartyWalletId: tx.counterparty_wallet_id,
    });
  });

  it('names the subject as the live path does: the wallet, the debited account of a settlement, the credited one of a reversal', () => {
    expect(replayEventForEntry(entry('pending'), tx, WALLET_ACCOUNT).envelope.subject).toBe(WALLET_ACCOUNT);
    expect(replayEventForEntry({ ...entry('post_pending'), first_debit_account: OTHER_ACCOUNT }, tx, WALLET_ACCOUNT).envelope.subject).toBe(OTHER_ACCOUNT);
    expect(replayEventForEntry(entry('posted', 'reversal'), tx, WALLET_ACCOUNT).envelope.subject).toBe(OTHER_ACCOUNT);
  });

  it('carries the reason of an expired hold, a reversal and a refund from the entry', () => {
    const voided = replayEventForEntry(entry('void_pending', 'transfer', { reason: 'expired' }), tx, WALLET_ACCOUNT);
    expect((voided.envelope.data as TransactionEventData).reason).toBe('expired');
    const fraudVoid = replayEventForEntry(entry('void_pending'), tx, WALLET_ACCOUNT);
    expect(fraudVoid.envelope.data).not.toHaveProperty('reason');
    const refundTx = { ...tx, type: 'refund', original_transaction_id: '0190f5c2-0000-7000-8000-000000000009' };
    const refund = replayEventForEntry(entry('posted', 'refund', { reason: 'damaged' }), refundTx, WALLET_ACCOUNT);
    expect(refund.envelope.data).toMatchObject({ status: 'completed', originalTransactionId: refundTx.original_transaction_id, reason: 'damaged' });
  });
});

describe('replayEventForWallet', () => {
  it('announces the wallet as wallet.opened with an id from the wallet id', () => {
    const wallet = { id: tx.wallet_id, wallet_number: 'WA000000000001', user_id: tx.user_id, currency: 'USD', created_at: new Date('2025-01-01T09:00:00Z') };
    const { contract, envelope } = replayEventForWallet(wallet);
    expect(envelope).toMatchObject({ id: ledgerEventId(wallet.id, 'wallet.opened'), type: 'wallet.opened', subject: wallet.id });
    expect(envelope.data).toEqual({ walletId: wallet.id, walletNumber: 'WA000000000001', userId: tx.user_id, currency: 'USD' });
    expect(contract).toBe(WalletOpenedV1);
    expect(eventProblems(replayedOnLedgerReplay(contract), envelope)).toEqual([]);
  });
});
