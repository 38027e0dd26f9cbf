import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** What notification knows to reach a user and recognise their devices; fed by identity's events. */
@Injectable()
export class UserContactsRepository {
  async rememberAddress(manager: EntityManager, userId: string, email: string): Promise<void> {
    await manager.query(
      `INSERT INTO notification.user_addresses (user_id, email) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, updated_at = now()`,
      [userId, email],
    );
  }

  async addressOf(manager: EntityManager, userId: string): Promise<string | undefined> {
    const rows: { email: string }[] = await manager.query(`SELECT email FROM notification.user_addresses WHERE user_id = $1`, [userId]);
    return rows[0]?.email;
  }

  /** Records a sign-in device; `isNew` when this user never used it before, `first` when it is their first device at all. */
  async seenDevice(manager: EntityManager, userId: string, deviceHash: string): Promise<{ isNew: boolean; first: boolean }> {
    const known: { n: number }[] = await manager.query(`SELECT count(*)::int AS n FROM notification.known_devices WHERE user_id = $1`, [userId]);
    const inserted: unknown[] = await manager.query(
      `INSERT INTO notification.known_devices (user_id, device_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id`,
      [userId, deviceHash],
    );
    return { isNew: inserted.length > 0, first: known[0].n === 0 };
  }
}
