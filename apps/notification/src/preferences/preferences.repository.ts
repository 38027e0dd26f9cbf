import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { StoredEventChannels } from './notification-preferences';

/** The channel overrides each user stored (none stored: the defaults apply). */
@Injectable()
export class PreferencesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async eventsOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<{ events: StoredEventChannels; updatedAt: Date | null }> {
    const rows: { events: StoredEventChannels; updated_at: Date }[] = await manager.query(
      `SELECT events, updated_at FROM notification.preferences WHERE user_id = $1`,
      [userId],
    );
    return { events: rows[0]?.events ?? {}, updatedAt: rows[0]?.updated_at ?? null };
  }

  /** Locks the user's row (created empty if missing) for a read-modify-write. */
  async lockEvents(manager: EntityManager, userId: string): Promise<StoredEventChannels> {
    await manager.query(`INSERT INTO notification.preferences (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING`, [userId]);
    const rows: { events: StoredEventChannels }[] = await manager.query(`SELECT events FROM notification.preferences WHERE user_id = $1 FOR UPDATE`, [userId]);
    return rows[0].events;
  }

  async saveEvents(manager: EntityManager, userId: string, events: StoredEventChannels): Promise<void> {
    await manager.query(`UPDATE notification.preferences SET events = $2, updated_at = now() WHERE user_id = $1`, [userId, JSON.stringify(events)]);
  }
}
