import { Topics } from '../topics';
import type { Shape } from '../schema';
import { CommandContract, defineCommand, ListQuery, NoPayload } from './command-contract';

const notification = <TPayload, TReply = unknown>(type: string, shape: Shape): CommandContract<TPayload, TReply> =>
  defineCommand<TPayload, TReply>({ topic: Topics.notificationCommands, type, shape });

export const NotificationCommands = {
  list: notification<ListNotificationsQuery, Page<NotificationView>>('notification.list', { unread: 'boolean?', sortBy: 'string?', sortOrder: 'string?' }),
  markRead: notification<{ notificationId: string }>('notification.read', { notificationId: 'uuid' }),
};

export interface ListNotificationsQuery {
  unread?: boolean;
  limit: number;
  offset: number;
  /** Only createdAt (the default). */
  sortBy?: string;
  /** desc (newest first, the default) or asc. */
  sortOrder?: string;
}

export interface NotificationView {
  id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Preferences, webhooks and their deliveries (issue 4). */
export const NotificationSettingsCommands = {
  getPreferences: notification<NoPayload, NotificationPreferencesView>('notification.preferences.get', {}),
  putPreferences: notification<PutNotificationPreferences, NotificationPreferencesView>('notification.preferences.put', {
    events: 'object?',
    thresholds: 'object?',
  }),
  createWebhook: notification<CreateWebhookInput, CreatedWebhookView>('notification.webhooks.create', { url: 'string', events: 'string[]' }),
  listWebhooks: notification<ListQuery, Page<WebhookView>>('notification.webhooks.list', {}),
  getWebhook: notification<{ webhookId: string }, WebhookView>('notification.webhooks.get', { webhookId: 'uuid' }),
  deleteWebhook: notification<{ webhookId: string }>('notification.webhooks.delete', { webhookId: 'uuid' }),
  listDeliveries: notification<ListQuery & { webhookId: string }, Page<WebhookDeliveryView>>('notification.webhooks.deliveries', {
    webhookId: 'uuid',
  }),
};

/** The event types a user can be notified of (api-v1.md "Notifications"). */
export const NotificationEventTypes = [
  'transaction.completed',
  'transaction.pending_review',
  'transaction.voided',
  'refund.completed',
  'balance.low',
  'limit.reached',
  'budget.threshold',
  'goal.milestone',
  'security.login_new_device',
  'security.account_locked',
] as const;

export type NotificationEventType = (typeof NotificationEventTypes)[number];

export interface NotificationChannels {
  inApp: boolean;
  email: boolean;
  webhook: boolean;
}

/** Every known event type with its channels (defaults filled in), and thresholds. */
export interface NotificationPreferencesView {
  events: Record<NotificationEventType, NotificationChannels>;
  thresholds: {
    /** Per wallet id: notify when a debit takes the available balance below this (decimal string in the wallet's currency). */
    lowBalance: Record<string, string>;
  };
  updatedAt: string | null;
}

/** PUT body: event types and channels to change (others keep theirs), and the full lowBalance map when given. */
export interface PutNotificationPreferences {
  events?: Record<string, Partial<NotificationChannels>>;
  thresholds?: { lowBalance?: Record<string, string | number> };
}

export interface CreateWebhookInput {
  url: string;
  events: string[];
}

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

/** Answered once, at creation: the signing secret is never shown again. */
export interface CreatedWebhookView extends WebhookView {
  secret: string;
}

export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
