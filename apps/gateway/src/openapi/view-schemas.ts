import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorCodes, TRANSACTION_STATUSES, TRANSACTION_TYPES } from '@tally/contracts';

/**
 * The answers of the API (libs/contracts' *View types) as OpenAPI schemas, referenced by name from
 * the routes with @ApiAnswer. Money is a decimal string with the currency's exact minor digits.
 */
const money = { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', example: '100.50' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const currency = { type: 'string', pattern: '^[A-Z]{3}$', example: 'USD' } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const page = (item: string): SchemaObject => ({
  type: 'object',
  required: ['items', 'total', 'limit', 'offset'],
  properties: { items: { type: 'array', items: ref(item) }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
});

export const VIEW_SCHEMAS: Record<string, SchemaObject> = {
  ApiError: {
    type: 'object',
    description: 'Every error answer of api-v1',
    required: ['error', 'message', 'timestamp', 'path', 'requestId'],
    properties: {
      error: { type: 'string', enum: [...ErrorCodes], example: 'NOT_FOUND' },
      message: { type: 'string' },
      details: { type: 'object', additionalProperties: true },
      timestamp: time,
      path: { type: 'string', example: '/v1/wallets/0192e4a0-7b1c-7def-8abc-0123456789ab' },
      requestId: { type: 'string', description: 'Also in the X-Request-Id header and in the gateway log lines' },
    },
  },
  User: {
    type: 'object',
    required: ['id', 'email', 'fullName', 'roles', 'status', 'createdAt'],
    properties: {
      id: uuid,
      email: { type: 'string', format: 'email' },
      username: { type: 'string', nullable: true },
      fullName: { type: 'string' },
      phone: { type: 'string', nullable: true, description: 'masked: all but the last two digits', example: '********89' },
      roles: { type: 'array', items: { type: 'string', example: 'user' } },
      status: { type: 'string', enum: ['active', 'suspended', 'closed'] },
      createdAt: time,
    },
  },
  LoginResult: {
    type: 'object',
    required: ['accessToken', 'refreshToken', 'tokenType', 'expiresAt', 'user'],
    properties: {
      accessToken: { type: 'string' },
      refreshToken: { type: 'string' },
      tokenType: { type: 'string', enum: ['Bearer'] },
      expiresAt: time,
      user: ref('User'),
    },
  },
  Wallet: {
    type: 'object',
    required: ['id', 'walletNumber', 'userId', 'currency', 'balance', 'available', 'status', 'dailyLimit', 'monthlyLimit', 'dailySpent', 'monthlySpent', 'createdAt', 'updatedAt'],
    properties: {
      id: uuid,
      walletNumber: { type: 'string', example: 'WA000000000001' },
      userId: uuid,
      currency,
      balance: money,
      available: money,
      pending: money,
      status: { type: 'string', enum: ['active', 'frozen', 'closed'] },
      dailyLimit: money,
      monthlyLimit: money,
      dailySpent: money,
      monthlySpent: money,
      timeZone: { type: 'string', example: 'Asia/Kuala_Lumpur' },
      createdAt: time,
      updatedAt: time,
    },
  },
  WalletList: {
    type: 'object',
    required: ['items', 'total'],
    properties: { items: { type: 'array', items: ref('Wallet') }, total: { type: 'integer' } },
  },
  Balance: {
    type: 'object',
    required: ['walletId', 'walletNumber', 'currency', 'balance', 'available', 'pending', 'dailyLimit', 'monthlyLimit', 'dailySpent', 'monthlySpent', 'status'],
    properties: {
      walletId: uuid,
      walletNumber: { type: 'string' },
      currency,
      balance: money,
      available: money,
      pending: money,
      dailyLimit: money,
      monthlyLimit: money,
      dailySpent: money,
      monthlySpent: money,
      status: { type: 'string', enum: ['active', 'frozen', 'closed'] },
      asOf: { ...time, description: 'only with ?asOf' },
    },
  },
  Transaction: {
    type: 'object',
    required: ['id', 'reference', 'type', 'status', 'amount', 'currency', 'fee', 'walletId', 'description', 'refundedAmount', 'createdAt'],
    properties: {
      id: uuid,
      reference: { type: 'string' },
      type: { type: 'string', enum: [...TRANSACTION_TYPES] },
      status: { type: 'string', enum: [...TRANSACTION_STATUSES] },
      amount: money,
      currency,
      fee: money,
      walletId: uuid,
      counterpartyWalletNumber: { type: 'string' },
      merchantName: { type: 'string' },
      merchantCategory: { type: 'string' },
      description: { type: 'string' },
      fraudScore: { type: 'integer' },
      fraudFlags: { type: 'array', items: { type: 'string', example: 'HIGH_VELOCITY' } },
      originalTransactionId: uuid,
      refundedAmount: money,
      createdAt: time,
      completedAt: time,
      originalAmount: money,
      originalCurrency: currency,
      fxRate: { type: 'string', example: '4.70' },
    },
  },
  TransactionList: page('Transaction'),
  Notification: {
    type: 'object',
    required: ['id', 'type', 'title', 'body', 'data', 'createdAt', 'readAt'],
    properties: {
      id: uuid,
      type: { type: 'string', example: 'transaction.completed' },
      title: { type: 'string' },
      body: { type: 'string' },
      data: { type: 'object', additionalProperties: true },
      createdAt: time,
      readAt: { ...time, nullable: true },
    },
  },
  NotificationList: page('Notification'),
  Spending: {
    type: 'object',
    required: ['currency', 'groups'],
    properties: {
      currency,
      groups: {
        type: 'array',
        items: { type: 'object', required: ['key', 'total', 'count'], properties: { key: { type: 'string' }, total: money, count: { type: 'integer' } } },
      },
    },
  },
  TrialBalance: {
    type: 'object',
    required: ['items', 'balanced', 'generatedAt'],
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['currency', 'totalDebits', 'totalCredits', 'balanced'],
          properties: { currency, totalDebits: money, totalCredits: money, balanced: { type: 'boolean' } },
          additionalProperties: true,
        },
      },
      balanced: { type: 'boolean' },
      generatedAt: time,
    },
  },
  VerificationRun: {
    type: 'object',
    required: ['id', 'status', 'checkedAccounts', 'differences', 'differenceCount', 'ok', 'requestedAt'],
    properties: {
      id: uuid,
      status: { type: 'string', enum: ['running', 'completed'] },
      checkedAccounts: { type: 'integer' },
      differences: {
        type: 'array',
        items: {
          type: 'object',
          properties: { accountId: uuid, currency, field: { type: 'string' }, expected: money, actual: money },
        },
      },
      differenceCount: { type: 'integer' },
      ok: { type: 'boolean', nullable: true },
      requestedAt: time,
      completedAt: time,
    },
  },
  ReplayRun: {
    type: 'object',
    required: ['id', 'status', 'topic', 'to', 'walletsReplayed', 'entriesReplayed', 'eventsWritten', 'requestedAt'],
    properties: {
      id: uuid,
      status: { type: 'string', enum: ['running', 'completed'] },
      topic: { type: 'string', example: 'ledger.replay' },
      from: { ...time, nullable: true },
      to: time,
      walletsReplayed: { type: 'integer' },
      entriesReplayed: { type: 'integer' },
      eventsWritten: { type: 'integer' },
      requestedAt: time,
      completedAt: time,
    },
  },
  Currencies: {
    type: 'object',
    properties: {
      items: { type: 'array', items: { type: 'object', properties: { code: currency, minorDigits: { type: 'integer' } } } },
    },
  },
  Names: { type: 'object', properties: { items: { type: 'array', items: { type: 'string' } } } },
};
