import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ANALYTICS_GROUPS } from '@tally/contracts';

/** The admin API's answers of issue 12 (libs/contracts admin-views.ts) as OpenAPI schemas; joined into VIEW_SCHEMAS. */
const money = { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', example: '100.50' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const currency = { type: 'string', pattern: '^[A-Z]{3}$', example: 'USD' } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: object) => ({ ...schema, nullable: true });
const page = (item: string): SchemaObject => ({
  type: 'object',
  required: ['items', 'total', 'limit', 'offset'],
  properties: { items: { type: 'array', items: ref(item) }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
});
const amounts: SchemaObject = {
  type: 'array',
  description: 'One line per currency; amounts in different currencies are never added up',
  items: { type: 'object', required: ['currency', 'amount'], properties: { currency, amount: money } },
};

export const ADMIN_VIEW_SCHEMAS: Record<string, SchemaObject> = {
  FxRate: {
    type: 'object',
    required: ['base', 'quote', 'rate', 'updatedAt'],
    description: '1 base = rate quote; the other direction is derived (1 ÷ rate)',
    properties: { base: currency, quote: { ...currency, example: 'MYR' }, rate: { type: 'string', example: '4.70' }, updatedAt: time },
  },
  FxRateList: { type: 'array', items: ref('FxRate') },
  AdminUser: {
    type: 'object',
    required: ['id', 'email', 'fullName', 'roles', 'status', 'createdAt'],
    properties: {
      id: uuid,
      email: { type: 'string', description: "masked the seed's way except on an admin's page of one user", example: 'joh***@gmail.com' },
      username: nullable({ type: 'string' }),
      fullName: { type: 'string' },
      phone: nullable({ type: 'string', example: '9876XXXXX0' }),
      roles: { type: 'array', items: { type: 'string', example: 'user' } },
      status: { type: 'string', enum: ['active', 'suspended', 'closed'] },
      emailVerified: { type: 'boolean' },
      lockedUntil: nullable(time),
      createdAt: time,
    },
  },
  AdminWallet: {
    allOf: [
      ref('Wallet'),
      {
        type: 'object',
        properties: { failedPinAttempts: { type: 'integer' }, pinLocked: { type: 'boolean', description: 'POST /v1/admin/wallets/{id}/unlock-pin lifts it' } },
      },
    ],
  },
  SecurityEvent: {
    type: 'object',
    required: ['id', 'kind', 'createdAt'],
    properties: {
      id: { type: 'string' },
      kind: { type: 'string', example: 'login_succeeded' },
      ip: nullable({ type: 'string' }),
      userAgent: nullable({ type: 'string' }),
      sessionId: nullable(uuid),
      apiKeyId: nullable(uuid),
      actorId: nullable({ ...uuid, description: 'The admin who did it, when it was not the user' }),
      createdAt: time,
    },
  },
  AdminUserDetail: {
    type: 'object',
    required: ['user', 'piiMasked', 'wallets', 'sessions', 'securityEvents'],
    properties: {
      user: ref('AdminUser'),
      piiMasked: { type: 'boolean', description: 'false for admins (email and phone in full), true for auditors' },
      wallets: { type: 'array', items: ref('AdminWallet') },
      sessions: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: uuid,
            userAgent: nullable({ type: 'string' }),
            ip: nullable({ type: 'string' }),
            createdAt: time,
            lastUsedAt: time,
            expiresAt: time,
          },
        },
      },
      securityEvents: { type: 'array', description: 'the newest 50', items: ref('SecurityEvent') },
    },
  },
  AdminTransaction: {
    allOf: [
      ref('Transaction'),
      {
        type: 'object',
        required: ['userId'],
        properties: {
          userId: uuid,
          imported: { type: 'boolean', description: 'booked by an admin bulk import' },
          occurredAt: { ...time, description: 'an imported transaction: when it happened (createdAt: when it was booked)' },
        },
      },
    ],
  },
  AdminTransactionList: page('AdminTransaction'),
  AdminTransactionDetail: {
    type: 'object',
    required: ['transaction', 'journalEntries', 'related'],
    properties: {
      transaction: ref('AdminTransaction'),
      journalEntries: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: uuid,
            kind: { type: 'string', example: 'purchase' },
            phase: { type: 'string', enum: ['posted', 'pending', 'post_pending', 'void_pending'] },
            pendingEntryId: nullable(uuid),
            description: nullable({ type: 'string' }),
            metadata: { type: 'object', additionalProperties: true },
            createdAt: time,
            postings: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  accountId: uuid,
                  accountCode: { type: 'string', example: 'system:fee_revenue:USD' },
                  accountType: { type: 'string', enum: ['asset', 'liability', 'equity', 'revenue', 'expense'] },
                  ownerId: nullable(uuid),
                  direction: { type: 'string', enum: ['D', 'C'] },
                  amount: money,
                  currency,
                },
              },
            },
          },
        },
      },
      related: { type: 'array', description: 'the other side of a transfer, refunds, the refunded purchase', items: ref('AdminTransaction') },
    },
  },
  PlatformAnalytics: {
    type: 'object',
    required: [
      'from',
      'to',
      'groupBy',
      'totals',
      'byType',
      'volume',
      'feeRevenue',
      'cashbackExpense',
      'referralExpense',
      'topCurrencies',
      'topCategories',
      'series',
      'pendingNow',
    ],
    properties: {
      from: time,
      to: time,
      groupBy: { type: 'string', enum: [...ANALYTICS_GROUPS] },
      totals: {
        type: 'object',
        properties: {
          transactions: { type: 'integer' },
          completed: { type: 'integer' },
          pending: { type: 'integer' },
          failed: { type: 'integer', description: 'voided (fraud, expiry) or failed' },
          reversed: { type: 'integer' },
          successRate: nullable({ type: 'number', example: 97.5, description: 'percent of settled transactions that completed' }),
          activeUsers: { type: 'integer', description: 'users with a transaction or a sign-in in the range' },
          registrations: { type: 'integer' },
        },
      },
      byType: {
        type: 'array',
        items: { type: 'object', properties: { type: { type: 'string' }, currency, count: { type: 'integer' }, volume: money } },
      },
      volume: amounts,
      feeRevenue: amounts,
      cashbackExpense: amounts,
      referralExpense: amounts,
      topCurrencies: { type: 'array', items: { type: 'object', properties: { currency, count: { type: 'integer' }, volume: money } } },
      topCategories: {
        type: 'array',
        items: { type: 'object', properties: { category: { type: 'string', example: 'food_beverage' }, currency, count: { type: 'integer' }, volume: money } },
      },
      series: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            period: { type: 'string', example: '2026-11-02', description: 'UTC day, ISO week (2026-W45) or month (2026-11)' },
            transactions: { type: 'integer' },
            completed: { type: 'integer' },
            registrations: { type: 'integer' },
            activeUsers: { type: 'integer' },
            volume: amounts,
            fees: amounts,
          },
        },
      },
      pendingNow: { ...amounts, description: 'held right now (amount and fee), whatever the range' },
    },
  },
  AuditLogEntry: {
    type: 'object',
    required: ['id', 'occurredAt', 'source', 'action'],
    properties: {
      id: uuid,
      occurredAt: time,
      source: { type: 'string', enum: ['identity', 'ledger', 'fraud'] },
      action: { type: 'string', example: 'fraud.review.approved' },
      actorId: nullable(uuid),
      subjectUserId: nullable(uuid),
      targetType: nullable({ type: 'string', example: 'transaction' }),
      targetId: nullable({ type: 'string' }),
      reason: nullable({ type: 'string' }),
      ip: nullable({ type: 'string' }),
      userAgent: nullable({ type: 'string' }),
      details: { type: 'object', additionalProperties: true },
    },
  },
  AuditLogList: page('AuditLogEntry'),
  Import: {
    type: 'object',
    required: ['id', 'status', 'total', 'accepted', 'rejected', 'posted', 'failed', 'requestedBy', 'createdAt'],
    properties: {
      id: uuid,
      status: { type: 'string', enum: ['queued', 'running', 'completed'] },
      description: nullable({ type: 'string' }),
      total: { type: 'integer' },
      accepted: { type: 'integer', description: 'rows that passed the checks at submission' },
      rejected: { type: 'integer' },
      posted: { type: 'integer' },
      failed: { type: 'integer', description: 'accepted rows the ledger refused when booking them (funds, wallet status, ...)' },
      requestedBy: uuid,
      createdAt: time,
      completedAt: nullable(time),
    },
  },
  ImportList: page('Import'),
  ImportDetail: {
    allOf: [
      ref('Import'),
      {
        type: 'object',
        properties: {
          rows: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                index: { type: 'integer' },
                ref: nullable({ type: 'string' }),
                type: { type: 'string', enum: ['deposit', 'withdrawal', 'purchase', 'transfer', 'refund'] },
                occurredAt: nullable(time),
                status: { type: 'string', enum: ['rejected', 'pending', 'posted', 'failed'] },
                transactionId: nullable(uuid),
                error: nullable({ type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } }),
              },
            },
          },
          rowsTotal: { type: 'integer' },
          limit: { type: 'integer' },
          offset: { type: 'integer' },
        },
      },
    ],
  },
};
