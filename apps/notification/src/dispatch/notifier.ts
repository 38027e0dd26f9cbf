import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotificationEventType, uuidv7 } from '@tally/contracts';
import { EmailOutbox } from '../email/email-outbox';
import { NotificationsRepository } from '../inbox/notifications.repository';
import { effectivePreferences } from '../preferences/notification-preferences';
import { PreferencesRepository } from '../preferences/preferences.repository';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { UserContactsRepository } from './user-contacts.repository';

export interface UserNotification {
  userId: string;
  type: NotificationEventType;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/**
 * Sends one notification to a user on the channels their preferences enable: the in-app row, an
 * email (queued for the SMTP sender) and a delivery per subscribed webhook. Runs in the consumer's inbox
 * transaction, so a redelivered event (skipped by the inbox) never notifies twice.
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly notifications: NotificationsRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly contacts: UserContactsRepository,
    private readonly email: EmailOutbox,
  ) {}

  async notify(manager: EntityManager, n: UserNotification): Promise<void> {
    const channels = effectivePreferences((await this.preferences.eventsOf(n.userId, manager)).events)[n.type];
    // One id for the notification on every channel: the in-app id is the webhook's event id.
    const id = uuidv7();
    const createdAt = new Date().toISOString();
    if (channels.inApp) await this.notifications.insert(manager, { ...n, id });
    if (channels.email) {
      // Only to an address identity told us about; without one there is no one to write to.
      const to = await this.contacts.addressOf(manager, n.userId);
      if (to) await this.email.enqueue(manager, { userId: n.userId, to, template: n.type, subject: n.title, body: n.body });
    }
    if (channels.webhook) {
      const payload = JSON.stringify({ id, type: n.type, createdAt, title: n.title, body: n.body, data: n.data });
      await this.webhooks.enqueue(manager, n.userId, id, n.type, payload);
    }
  }
}
