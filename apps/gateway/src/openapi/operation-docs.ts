/**
 * A summary and an example for every operation of the OpenAPI document, by `METHOD /path`:
 * `request` is an example body, `response` an example of the first successful answer, `parameters`
 * examples of path or query parameters (for operations with neither body nor answer).
 * buildOpenApiDocument puts them in the document; tests/e2e/openapi.e2e-spec.ts fails on an
 * operation without both, so a new route brings its own.
 */
export interface OperationDoc {
  summary: string;
  request?: unknown;
  response?: unknown;
  parameters?: Record<string, unknown>;
}

const USER_ID = '0195f0a2-6c1e-7a10-8b1c-2f4d5e6a7b80';
const WALLET_ID = '0195f0a3-1a2b-7c30-8d4e-5f6a7b8c9d02';
const TX_ID = '0195f0a4-3c4d-7e50-8f60-7b8c9d0e1f25';
const AT = '2026-12-02T10:15:00.000Z';

const user = {
  id: USER_ID,
  email: 'ann@example.com',
  username: 'ann',
  fullName: 'Ann Lee',
  phone: '*********89',
  roles: ['user'],
  status: 'active',
  emailVerified: true,
  timeZone: 'Asia/Kuala_Lumpur',
  defaultCurrency: 'MYR',
  language: 'en',
  theme: 'light',
  createdAt: AT,
};
const wallet = {
  id: WALLET_ID,
  walletNumber: 'WA202612020017',
  userId: USER_ID,
  currency: 'USD',
  balance: '74.50',
  available: '74.50',
  pending: '0.00',
  status: 'active',
  dailyLimit: '1000.00',
  monthlyLimit: '10000.00',
  dailySpent: '25.50',
  monthlySpent: '25.50',
  timeZone: 'Asia/Kuala_Lumpur',
  name: 'Everyday',
  createdAt: AT,
  updatedAt: AT,
};
const transaction = {
  id: TX_ID,
  reference: 'TX-20261202-7QK4M2',
  type: 'transfer_out',
  status: 'completed',
  amount: '25.00',
  currency: 'USD',
  fee: '0.50',
  walletId: WALLET_ID,
  counterpartyWalletNumber: 'WA202612020042',
  description: 'lunch',
  refundedAmount: '0.00',
  createdAt: AT,
  completedAt: AT,
};
const page = <T>(items: T[]) => ({ items, total: items.length, limit: 50, offset: 0 });
const goal = {
  id: '0195f0a5-4d5e-7f61-9a71-8c9d0e1f2a37',
  name: 'Holiday',
  currency: 'USD',
  targetAmount: '1000.00',
  savedAmount: '500.00',
  percent: '50.00',
  deadline: '2027-06-30',
  createdAt: AT,
};
const budget = {
  id: '0195f0a6-5e6f-7071-8b82-9d0e1f2a3b48',
  category: 'groceries',
  amount: '500.00',
  currency: 'USD',
  period: 'monthly',
  alertAt: [50, 80, 100],
  createdAt: AT,
};
const webhook = { id: '0195f0a8-7081-7293-8da4-1f2a3b4c5d6a', url: 'https://hooks.example.com/tally', events: ['transaction.completed'], createdAt: AT };
const rule = {
  code: 'high_value',
  flag: 'HIGH_VALUE',
  weight: 20,
  enabled: true,
  parameters: { threshold: '10000', currency: 'MYR' },
  description: 'A debit above a threshold in a currency',
};
const verification = {
  id: '0195f0b1-0000-7000-8000-000000000002',
  status: 'completed',
  checkedAccounts: 1204,
  differences: [],
  differenceCount: 0,
  ok: true,
  requestedAt: AT,
  completedAt: AT,
};
const replay = {
  id: '0195f0b1-0000-7000-8000-000000000003',
  status: 'completed',
  topic: 'ledger.replay',
  to: AT,
  walletsReplayed: 310,
  entriesReplayed: 5120,
  eventsWritten: 5430,
  requestedAt: AT,
  completedAt: AT,
};
const preferences = {
  events: { 'transaction.completed': { inApp: true, email: false, webhook: true } },
  thresholds: { lowBalance: { [WALLET_ID]: '50.00' } },
  updatedAt: AT,
};
const pin = { walletId: WALLET_ID, amount: '25.00', pin: '2580' };

export const OPERATION_DOCS: Record<string, OperationDoc> = {
  'POST /v1/auth/register': {
    summary: 'Register a user',
    request: { email: 'ann@example.com', password: 'correct horse 42', fullName: 'Ann Lee', username: 'ann' },
  },
  'POST /v1/auth/login': {
    summary: 'Log in with email or username; returns an access and a refresh token',
    request: { email: 'ann@example.com', password: 'correct horse 42' },
  },
  'POST /v1/auth/refresh': { summary: 'Exchange a refresh token for a new pair (the old one is spent)', request: { refreshToken: 'rt_example' } },
  'POST /v1/auth/logout': { summary: "End the caller's session", response: null },
  'POST /v1/auth/verify-email': { summary: 'Verify the email address with the emailed token', request: { token: 'emailed-token' } },
  'POST /v1/auth/forgot-password': {
    summary: 'Email a password-reset token (same answer whether or not the address has an account)',
    request: { email: 'ann@example.com' },
  },
  'POST /v1/auth/reset-password': {
    summary: 'Set a new password with the emailed token; every session is revoked',
    request: { token: 'emailed-token', newPassword: 'another horse 43' },
  },
  'GET /v1/me': { summary: 'The signed-in user', response: user },
  'PATCH /v1/me': {
    summary: "Change the caller's name, phone, username, time zone, default currency, language or theme",
    request: { fullName: 'Ann Lee-Tan', timeZone: 'Asia/Kuala_Lumpur', defaultCurrency: 'MYR', language: 'en', theme: 'dark' },
    response: { ...user, fullName: 'Ann Lee-Tan', theme: 'dark' },
  },
  'GET /v1/me/sessions': {
    summary: "The caller's live sessions, one per device",
    response: page([{ id: '0195f0a7-6f70-7182-9c93-0e1f2a3b4c59', current: true, userAgent: 'Mozilla/5.0', createdAt: AT, lastUsedAt: AT, expiresAt: AT }]),
  },
  'DELETE /v1/me/sessions/{id}': { summary: "Revoke one of the caller's sessions", parameters: { id: '0195f0a7-6f70-7182-9c93-0e1f2a3b4c59' } },
  'POST /v1/me/api-keys': {
    summary: 'Create a scoped API key (the key is shown once)',
    request: { name: 'shop integration', scopes: ['wallets:read', 'payments:write'], expiresAt: '2027-12-31T00:00:00.000Z' },
  },
  'GET /v1/me/api-keys': {
    summary: "The caller's API keys (prefix, scopes, last use; never the key)",
    response: page([
      {
        id: '0195f0a9-8192-73a4-9eb5-2a3b4c5d6e7b',
        name: 'shop integration',
        prefix: 'tk_3f9a',
        scopes: ['wallets:read'],
        createdAt: AT,
        lastUsedAt: AT,
        revokedAt: null,
      },
    ]),
  },
  'DELETE /v1/me/api-keys/{id}': { summary: 'Revoke an API key', parameters: { id: '0195f0a9-8192-73a4-9eb5-2a3b4c5d6e7b' } },
  'GET /v1/admin/users': { summary: 'Users, with email and phone masked (admin, auditor)', response: page([user]) },
  'POST /v1/admin/users/{id}/suspend': { summary: 'Suspend a user: money routes refuse them (admin)', request: { reason: 'chargeback investigation' } },
  'POST /v1/admin/users/{id}/activate': { summary: 'Activate a suspended user (admin)', request: { reason: 'investigation closed' } },
  'POST /v1/admin/users/{id}/close': { summary: 'Close a user for good; sessions and keys are revoked (admin)', request: { reason: 'requested by the user' } },
  'POST /v1/admin/users/{id}/roles': { summary: "Set a user's roles (user is always kept) (admin)", request: { roles: ['user', 'auditor'] } },
  'POST /v1/wallets': { summary: 'Open a wallet in a currency, with a PIN', request: { currency: 'USD', pin: '2580', timeZone: 'Asia/Kuala_Lumpur' } },
  'GET /v1/wallets': { summary: "The caller's wallets", response: { items: [wallet], total: 1 } },
  'GET /v1/wallets/{id}': { summary: 'One wallet', response: wallet },
  'GET /v1/wallets/{id}/balance': {
    summary: "A wallet's balance now, or as it stood at asOf",
    response: {
      walletId: WALLET_ID,
      walletNumber: 'WA202612020017',
      currency: 'USD',
      balance: '74.50',
      available: '74.50',
      pending: '0.00',
      dailyLimit: '1000.00',
      monthlyLimit: '10000.00',
      dailySpent: '25.50',
      monthlySpent: '25.50',
      status: 'active',
    },
  },
  'POST /v1/wallets/{id}/deposits': { summary: 'Deposit into a wallet (posted at once)', request: { amount: '100.00', description: 'salary' } },
  'PATCH /v1/wallets/{id}': {
    summary: "Rename a wallet or set its daily and monthly limits (within the platform's caps)",
    request: { name: 'Travel', dailyLimit: '500.00', monthlyLimit: '5000.00' },
    response: { ...wallet, name: 'Travel', dailyLimit: '500.00', monthlyLimit: '5000.00' },
  },
  'PUT /v1/wallets/{id}/pin': { summary: "Change a wallet's PIN", request: { oldPin: '2580', newPin: '7193' } },
  'POST /v1/wallets/{id}/pin/reset': {
    summary: "Reset a wallet's PIN with the account password (ends a PIN lock)",
    request: { password: 'correct horse 42', newPin: '7193' },
  },
  'POST /v1/wallets/{id}/freeze': { summary: 'Freeze a wallet: it can be read but sends and receives nothing', request: { reason: 'card lost' } },
  'POST /v1/wallets/{id}/unfreeze': { summary: 'Unfreeze a wallet', request: { reason: 'card found' } },
  'POST /v1/wallets/{id}/close': { summary: 'Close an empty wallet for good', request: { reason: 'no longer used' } },
  'POST /v1/transfers': {
    summary: 'Transfer to another wallet: held, scored by fraud, then posted (201) or still pending (202)',
    request: { fromWalletId: WALLET_ID, toWalletNumber: 'WA202612020042', amount: '25.00', pin: '2580', description: 'lunch' },
  },
  'POST /v1/wallets/{id}/withdrawals': {
    summary: 'Withdraw from a wallet to its external funding account',
    request: { amount: '40.00', pin: '2580', description: 'cash out' },
  },
  'POST /v1/payments': {
    summary: 'Pay a merchant (a purchase; another currency is converted at the stored rate)',
    request: { ...pin, currency: 'USD', merchantName: 'Corner Grocer', merchantCategory: 'groceries' },
  },
  'GET /v1/transactions': { summary: "The caller's transactions, filtered and paged", response: page([transaction]) },
  'GET /v1/transactions/{id}': { summary: 'One transaction (poll it after a 202)', response: transaction },
  'POST /v1/transactions/{id}/refunds': { summary: 'Refund a purchase, in full or in part', request: { amount: '10.00', reason: 'item returned' } },
  'POST /v1/admin/transactions/{id}/reversal': {
    summary: 'Reverse a completed transaction with an opposite entry (admin)',
    request: { reason: 'duplicate charge' },
  },
  'GET /v1/admin/fx-rates': { summary: 'The stored FX rates (admin, auditor)', response: [{ base: 'USD', quote: 'MYR', rate: '4.70', updatedAt: AT }] },
  'POST /v1/me/password': {
    summary: 'Change the password (re-authenticates); other sessions end, API keys too unless kept',
    request: { currentPassword: 'correct horse 42', newPassword: 'battery staple 97', keepApiKeys: true },
  },
  'GET /v1/me/mfa': {
    summary: "The caller's second factor: TOTP on or off, recovery codes left",
    response: { totp: { enabled: true, confirmedAt: AT }, recoveryCodesLeft: 9 },
  },
  'POST /v1/me/mfa/totp': {
    summary: 'Start TOTP enrolment: a new seed and its otpauth URI (confirm with a first code)',
    response: {
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      otpauthUri: 'otpauth://totp/Tally:ann%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Tally',
    },
  },
  'POST /v1/me/mfa/totp/confirm': {
    summary: 'Confirm TOTP with a first code; the recovery codes are shown once',
    request: { code: '492039' },
    response: { recoveryCodes: ['k3f9-2m7q', 'p8d1-x4c6'] },
  },
  'POST /v1/me/mfa/totp/disable': { summary: 'Turn TOTP off with a current code (not for admins and auditors)', request: { code: '492039' } },
  'POST /v1/me/mfa/recovery-codes': {
    summary: 'New recovery codes with a current code (the old ones stop working)',
    request: { code: '492039' },
    response: { recoveryCodes: ['k3f9-2m7q', 'p8d1-x4c6'] },
  },
  'GET /v1/admin/users/{id}': {
    summary: 'One user with wallets and balances, sessions and recent security events (admin in full; auditor masked)',
    parameters: { id: USER_ID },
    response: {
      user,
      wallets: [wallet],
      sessions: [],
      securityEvents: [{ kind: 'login_succeeded', ip: '203.0.113.7', userAgent: 'Mozilla/5.0', occurredAt: AT }],
    },
  },
  'GET /v1/admin/transactions': {
    summary: "Every user's transactions, with the list filters and userId (admin, auditor)",
    parameters: { userId: USER_ID, type: 'purchase', status: 'completed' },
  },
  'GET /v1/admin/transactions/{id}': {
    summary: 'One transaction with its journal entries and postings, and the transactions linked to it (admin, auditor)',
    parameters: { id: TX_ID },
  },
  'GET /v1/admin/analytics': {
    summary: 'Platform analytics: volume and count by type, users, registrations, fees, success rate, top currencies and categories (admin, auditor)',
    response: {
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      groupBy: 'week',
      totals: { transactions: 1840, activeUsers: 57, registrations: 12, successRate: 0.97 },
      byType: [{ type: 'purchase', count: 1210, volume: [{ currency: 'MYR', amount: '48210.50' }] }],
      topCurrencies: [{ currency: 'MYR', count: 1402 }],
      periods: [{ start: '2026-11-02T00:00:00.000Z', count: 455, registrations: 3 }],
    },
  },
  'GET /v1/admin/audit-logs': {
    summary: 'Every admin action and security event, with actor, IP and user agent (admin, auditor)',
    response: page([
      {
        id: '0195f0b2-3b4c-7d5e-8f6a-7b8c9d0e1f2a',
        occurredAt: AT,
        source: 'ledger',
        action: 'ledger.fx_rate.set',
        actorId: USER_ID,
        subjectUserId: null,
        targetType: 'fx_rate',
        targetId: 'GBP/MYR',
        reason: 'Reference rate of 2 December',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        details: { oldRate: '5.50', newRate: '5.52' },
      },
    ]),
  },
  'POST /v1/admin/imports': {
    summary: 'Bulk import of past transactions, each with occurredAt; checked by the same rules, booked in the background (admin; audited)',
    request: {
      description: 'legacy system, batch 1',
      entries: [
        { ref: 'salary', type: 'deposit', walletNumber: 'WA202612020017', amount: '2000.00', occurredAt: '2026-10-01T09:00:00.000Z', description: 'Salary' },
      ],
    },
  },
  'GET /v1/admin/imports': {
    summary: 'Bulk imports, newest first (admin, auditor)',
    response: page([
      {
        id: '0195f0b1-2a3b-7c4d-8e5f-6a7b8c9d0e1f',
        description: 'legacy system, batch 1',
        total: 12,
        accepted: 7,
        rejected: 5,
        posted: 5,
        failed: 2,
        status: 'completed',
        requestedBy: USER_ID,
        createdAt: AT,
        completedAt: AT,
      },
    ]),
  },
  'GET /v1/admin/imports/{id}': { summary: 'One import with its report per row (admin, auditor)', parameters: { id: '0195f0b1-2a3b-7c4d-8e5f-6a7b8c9d0e1f' } },
  'PUT /v1/admin/fx-rates': {
    summary: 'Set one FX rate, with a reason (admin; audited)',
    request: { base: 'GBP', quote: 'MYR', rate: '5.52', reason: 'Reference rate of 2 December' },
  },
  'POST /v1/admin/wallets/{id}/unlock-pin': { summary: "End a wallet's PIN lock (admin)", request: { reason: 'owner verified by phone' } },
  'GET /v1/admin/ledger/trial-balance': {
    summary: 'Debits and credits per currency over all accounts (admin, auditor)',
    response: { items: [{ currency: 'USD', totalDebits: '125000.00', totalCredits: '125000.00', balanced: true }], balanced: true, generatedAt: AT },
  },
  'POST /v1/admin/ledger/verifications': {
    summary: 'Start recomputing every balance from its postings (admin); poll the run',
    response: { ...verification, status: 'running', completedAt: null },
  },
  'GET /v1/admin/ledger/verifications/{id}': { summary: 'A verification run and the differences it found (admin, auditor)', response: verification },
  'POST /v1/admin/ledger/replays': {
    summary: "Publish the ledger's events again to ledger.replay, rebuilt from the journal (admin)",
    request: { from: '2026-11-01T00:00:00.000Z' },
  },
  'GET /v1/admin/ledger/replays/{id}': { summary: 'A replay run (admin, auditor)', response: replay },
  'GET /v1/admin/fraud/reviews': {
    summary: 'Held transactions waiting for a decision, high risk first (admin, auditor)',
    response: page([
      {
        transactionId: TX_ID,
        amount: '15000.00',
        currency: 'MYR',
        score: 60,
        band: 'review',
        flags: ['HIGH_VALUE', 'OFF_HOURS', 'UNUSUAL_AMOUNT'],
        status: 'open',
        createdAt: AT,
      },
    ]),
  },
  'POST /v1/admin/fraud/reviews/{transactionId}/approve': {
    summary: 'Approve a held transaction: the ledger posts it (admin)',
    request: { reason: 'customer confirmed by phone' },
  },
  'POST /v1/admin/fraud/reviews/{transactionId}/reject': {
    summary: 'Reject a held transaction: the ledger voids it (admin)',
    request: { reason: 'card reported stolen' },
  },
  'GET /v1/admin/fraud/rules': { summary: "Fraud's rules, weights and parameters (admin, auditor)", response: { items: [rule] } },
  'PATCH /v1/admin/fraud/rules/{code}': {
    summary: "Change a rule's weight, switch or parameters (admin)",
    request: { weight: 30, parameters: { threshold: '20000', currency: 'MYR' } },
  },
  'GET /v1/admin/fraud/stats': {
    summary: 'Scores, decisions, flags and reviews over a period (admin, auditor)',
    response: {
      scored: 1200,
      decisions: { approve: 1150, review: 45, reject: 5 },
      flags: { HIGH_VALUE: 30 },
      scoreHistogram: { '0': 1100, '20': 55, '60': 45 },
      reviews: { open: 3, approved: 38, rejected: 4 },
    },
  },
  'GET /v1/analytics/spending': {
    summary: "The caller's spending grouped by category, day, week or month",
    response: { currency: 'USD', groups: [{ key: 'groceries', total: '212.40', count: 9 }] },
  },
  'GET /v1/reports/income-expense': {
    summary: 'Income against expense per month, ISO week or category over a date range, in one currency',
    parameters: { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', groupBy: 'month', currency: 'USD' },
    response: {
      currency: 'USD',
      groupBy: 'month',
      from: '2026-01-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
      groups: [{ key: '2026-11', credits: '2500.00', debits: '1840.35', net: '659.65', transactionCount: 31 }],
      totals: { credits: '2500.00', debits: '1840.35', net: '659.65', transactionCount: 31 },
    },
  },
  'GET /v1/me/notifications': {
    summary: "The caller's in-app notifications, newest first",
    response: page([
      {
        id: '0195f0aa-92a3-74b5-8fc6-3b4c5d6e7f8c',
        type: 'transaction.completed',
        title: 'Money received',
        body: 'You received 25.00 USD.',
        data: { transactionId: TX_ID },
        createdAt: AT,
        readAt: null,
      },
    ]),
  },
  'POST /v1/me/notifications/{id}/read': { summary: 'Mark a notification read', parameters: { id: '0195f0aa-92a3-74b5-8fc6-3b4c5d6e7f8c' } },
  'GET /v1/me/notification-preferences': { summary: 'Channels per notification type, and low-balance thresholds', response: preferences },
  'PUT /v1/me/notification-preferences': {
    summary: 'Change channels and thresholds (the ones named)',
    request: { events: { 'transaction.completed': { email: true } }, thresholds: { lowBalance: { [WALLET_ID]: '20.00' } } },
  },
  'POST /v1/me/webhooks': {
    summary: 'Register a webhook; its signing secret is shown once',
    request: { url: 'https://hooks.example.com/tally', events: ['transaction.completed', 'balance.low'] },
  },
  'GET /v1/me/webhooks': { summary: "The caller's webhooks (never their secrets)", response: page([webhook]) },
  'GET /v1/me/webhooks/{id}': { summary: 'One webhook', response: webhook },
  'DELETE /v1/me/webhooks/{id}': { summary: 'Delete a webhook and its pending deliveries', parameters: { id: webhook.id } },
  'GET /v1/me/webhooks/{id}/deliveries': {
    summary: "A webhook's deliveries and their attempts",
    response: page([
      {
        id: '0195f0ab-a3b4-75c6-90d7-4c5d6e7f8091',
        webhookId: webhook.id,
        eventId: '0195f0b0-0000-7000-8000-000000000001',
        eventType: 'transaction.completed',
        status: 'delivered',
        attempts: 1,
        lastStatus: 200,
        lastError: null,
        nextAttemptAt: null,
        createdAt: AT,
        deliveredAt: AT,
      },
    ]),
  },
  'GET /v1/currencies': {
    summary: 'Supported currencies and their minor digits',
    response: {
      items: [
        { code: 'USD', minorDigits: 2 },
        { code: 'JPY', minorDigits: 0 },
      ],
    },
  },
  'GET /v1/transaction-types': {
    summary: 'Transaction types',
    response: { items: ['deposit', 'withdrawal', 'transfer_out', 'transfer_in', 'purchase', 'refund'] },
  },
  'GET /v1/wallet-statuses': { summary: 'Wallet statuses', response: { items: ['active', 'frozen', 'closed'] } },
  'POST /v1/budgets': {
    summary: 'Create a budget for a category and period',
    request: { category: 'groceries', amount: '500.00', currency: 'USD', period: 'monthly', alertAt: [50, 80, 100] },
  },
  'GET /v1/budgets': { summary: "The caller's budgets", response: page([budget]) },
  'GET /v1/budgets/{id}': { summary: 'One budget', response: budget },
  'PATCH /v1/budgets/{id}': {
    summary: "Change a budget's amount, category, period or alert thresholds (its alerts re-arm)",
    request: { amount: '600.00', alertAt: [75, 100] },
    response: { ...budget, amount: '600.00', alertAt: [75, 100] },
  },
  'DELETE /v1/budgets/{id}': { summary: 'Delete a budget: it stops counting and alerting', parameters: { id: budget.id } },
  'GET /v1/budgets/{id}/progress': {
    summary: "A budget's spending in the current period",
    response: {
      budgetId: budget.id,
      category: 'groceries',
      currency: 'USD',
      amount: '500.00',
      spent: '402.50',
      remaining: '97.50',
      percent: '80.50',
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
    },
  },
  'POST /v1/goals': {
    summary: 'Create a savings goal (a ledger account of the user)',
    request: { name: 'Holiday', targetAmount: '1000.00', currency: 'USD', deadline: '2027-06-30' },
  },
  'GET /v1/goals': { summary: "The caller's goals", response: { items: [goal], total: 1 } },
  'GET /v1/goals/{id}': { summary: 'One goal and how much it holds', response: goal },
  'POST /v1/goals/{id}/contributions': { summary: 'Move money from a wallet into a goal', request: { fromWalletId: WALLET_ID, amount: '50.00', pin: '2580' } },
  'POST /v1/goals/{id}/withdrawals': {
    summary: 'Move money from a goal back to one of your wallets',
    request: { toWalletId: WALLET_ID, amount: '50.00' },
    response: { ...transaction, type: 'goal_withdrawal', amount: '50.00', fee: '0.00', description: 'From goal: Holiday' },
  },
  'PATCH /v1/goals/{id}': {
    summary: "Change a goal's name, target or deadline",
    request: { name: 'Holiday in Japan', targetAmount: '1500.00', deadline: null },
    response: { ...goal, name: 'Holiday in Japan', targetAmount: '1500.00', percent: 33.33, deadline: null },
  },
  'DELETE /v1/goals/{id}': {
    summary: 'Close a goal; one that holds money is emptied into ?toWalletId first',
    parameters: { toWalletId: WALLET_ID },
    response: {
      goal: { ...goal, savedAmount: '0.00', percent: 0, closedAt: AT },
      transaction: { ...transaction, type: 'goal_withdrawal', amount: '500.00', fee: '0.00', description: 'From goal: Holiday' },
    },
  },
  'GET /v1/me/summary': {
    summary: 'Balances per currency, wallets, this month and the latest transactions',
    response: {
      totalBalances: [{ currency: 'USD', balance: '74.50' }],
      walletCount: 1,
      wallets: [wallet],
      monthlySummary: { currency: 'USD', credits: '100.00', debits: '25.50', net: '74.50', transactionCount: 2 },
      recentTransactions: [transaction],
    },
  },
  'GET /health/live': { summary: 'Liveness: the process runs', response: { status: 'ok' } },
  'GET /health/ready': {
    summary: 'Readiness: Postgres and Kafka reachable, no consumer crashed (503 otherwise)',
    response: { status: 'ok', checks: { database: 'ok', kafka: 'ok', consumers: 'ok' } },
  },
  'GET /metrics': { summary: 'Prometheus metrics (text format)', response: '# TYPE http_request_duration_seconds histogram\n' },
};
