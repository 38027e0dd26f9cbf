export const LedgerCommands = {
  openWallet: 'wallet.open',
  listWallets: 'wallet.list',
  getWallet: 'wallet.get',
  getBalance: 'wallet.balance',
  deposit: 'deposit.create',
  transfer: 'transfer.create',
  getTransaction: 'transaction.get',
} as const;

export interface OpenWalletPayload {
  currency: string;
  pin: string;
  dailyLimit?: string;
  monthlyLimit?: string;
}

export interface WalletRef {
  walletId: string;
}

export interface DepositPayload {
  walletId: string;
  amount: string;
  description?: string;
  paymentMethod?: string;
}

export interface TransferPayload {
  fromWalletId: string;
  toWalletNumber: string;
  amount: string;
  pin: string;
  description?: string;
}

export interface TransactionRef {
  transactionId: string;
}

export interface WalletView {
  id: string;
  walletNumber: string;
  userId: string;
  currency: string;
  balance: string;
  available: string;
  pending: string;
  status: string;
  dailyLimit: string;
  monthlyLimit: string;
  dailySpent: string;
  monthlySpent: string;
  createdAt: string;
  updatedAt: string;
}

export interface BalanceView {
  walletId: string;
  walletNumber: string;
  currency: string;
  balance: string;
  available: string;
  pending: string;
  dailyLimit: string;
  monthlyLimit: string;
  dailySpent: string;
  monthlySpent: string;
  status: string;
}

export interface TransactionView {
  id: string;
  reference: string;
  type: string;
  status: string;
  amount: string;
  currency: string;
  fee: string;
  walletId: string;
  counterpartyWalletNumber?: string;
  merchantName?: string;
  merchantCategory?: string;
  description: string;
  fraudScore?: number;
  fraudFlags?: string[];
  originalTransactionId?: string;
  refundedAmount: string;
  createdAt: string;
  completedAt?: string;
}
