import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '@tally/database';
import { NotificationView, Page, uuidv7 } from '@tally/contracts';

interface NotificationRow {
  id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

export interface NewNotification {
  id?: string;
  userId: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, n: NewNotification): Promise<void> {
    await manager.query(`INSERT INTO notification.notifications (id, user_id, type, title, body, data) VALUES ($1, $2, $3, $4, $5, $6)`, [
      n.id ?? uuidv7(),
      n.userId,
      n.type,
      n.title,
      n.body,
      JSON.stringify(n.data),
    ]);
  }

  /** Always filtered by owner: a user only ever sees their own notifications. */
  async list(userId: string, unreadOnly: boolean, limit: number, offset: number, order: 'asc' | 'desc' = 'desc'): Promise<Page<NotificationView>> {
    const where = `user_id = $1 ${unreadOnly ? 'AND read_at IS NULL' : ''}`;
    const direction = order === 'asc' ? 'ASC' : 'DESC';
    // One snapshot for the page and its total: a notification written between the two reads would
    // otherwise be counted but not listed.
    const { rows, total } = await this.dataSource.transaction('REPEATABLE READ', async (m) => ({
      rows: (await m.query(`SELECT * FROM notification.notifications WHERE ${where} ORDER BY created_at ${direction}, id ${direction} LIMIT $2 OFFSET $3`, [
        userId,
        limit,
        offset,
      ])) as NotificationRow[],
      total: (await m.query(`SELECT count(*) AS count FROM notification.notifications WHERE ${where}`, [userId])) as { count: string }[],
    }));
    return {
      items: rows.map((r) => ({
        id: r.id,
        type: r.type,
        title: r.title,
        body: r.body,
        data: r.data,
        createdAt: new Date(r.created_at).toISOString(),
        readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
      })),
      total: Number(total[0].count),
      limit,
      offset,
    };
  }

  async markRead(userId: string, id: string): Promise<boolean> {
    const rows = returningRows(
      await this.dataSource.query(`UPDATE notification.notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING id`, [
        id,
        userId,
      ]),
    );
    return rows.length > 0;
  }
}
