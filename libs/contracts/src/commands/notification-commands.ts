export const NotificationCommands = {
  list: 'notification.list',
  markRead: 'notification.read',
} as const;

export interface ListNotificationsQuery {
  unread?: boolean;
  limit: number;
  offset: number;
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
