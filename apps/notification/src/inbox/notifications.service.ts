import { Injectable } from '@nestjs/common';
import { Actor, DomainError, isUuid, ListNotificationsQuery, NotificationView, Page } from '@tally/contracts';
import { NotificationsRepository } from './notifications.repository';

/** The in-app inbox: list (newest first unless sortOrder=asc) and mark read, the caller's only. */
@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationsRepository) {}

  list(actor: Actor, query: ListNotificationsQuery): Promise<Page<NotificationView>> {
    const limit = Math.min(100, Math.max(1, Math.trunc(Number(query.limit ?? 50)) || 50));
    const offset = Math.max(0, Math.trunc(Number(query.offset ?? 0)) || 0);
    if (query.sortBy !== undefined && query.sortBy !== 'createdAt') {
      throw new DomainError('VALIDATION_FAILED', 'sortBy must be createdAt', { sortBy: query.sortBy });
    }
    if (query.sortOrder !== undefined && query.sortOrder !== 'asc' && query.sortOrder !== 'desc') {
      throw new DomainError('VALIDATION_FAILED', 'sortOrder must be asc or desc', { sortOrder: query.sortOrder });
    }
    return this.notifications.list(actor.userId, query.unread === true, limit, offset, query.sortOrder ?? 'desc');
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    if (!isUuid(id) || !(await this.notifications.markRead(actor.userId, id))) {
      throw new DomainError('NOT_FOUND', 'Notification not found');
    }
  }
}
