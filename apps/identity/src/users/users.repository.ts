import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '@tally/database';

export interface UserRow {
  id: string;
  email: string;
  username: string | null;
  full_name: string;
  phone: string | null;
  password_hash: string;
  roles: string[];
  status: 'active' | 'suspended' | 'closed';
  failed_logins: number;
  locked_until: Date | null;
  created_at: Date;
}

export interface NewUser {
  id: string;
  email: string;
  username: string | null;
  fullName: string;
  phone: string | null;
  passwordHash: string;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, user: NewUser): Promise<UserRow> {
    const rows: UserRow[] = await manager.query(
      `INSERT INTO identity.users (id, email, username, full_name, phone, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [user.id, user.email, user.username, user.fullName, user.phone, user.passwordHash],
    );
    return rows[0];
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT * FROM identity.users WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Locks the row so concurrent failed logins count exactly. */
  async findForLogin(manager: EntityManager, login: { email?: string; username?: string }): Promise<UserRow | undefined> {
    const rows: UserRow[] = login.email
      ? await manager.query(`SELECT * FROM identity.users WHERE lower(email) = lower($1) FOR UPDATE`, [login.email])
      : await manager.query(`SELECT * FROM identity.users WHERE lower(username) = lower($1) FOR UPDATE`, [login.username]);
    return rows[0];
  }

  async recordFailedLogin(manager: EntityManager, id: string, maxFailures: number, lockoutMinutes: number): Promise<UserRow> {
    const rows = returningRows<UserRow>(await manager.query(
      `UPDATE identity.users
          SET failed_logins = failed_logins + 1,
              locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END,
              updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, maxFailures, lockoutMinutes],
    ));
    return rows[0];
  }

  async recordSuccessfulLogin(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE identity.users SET failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  async recordSecurityEvent(
    manager: EntityManager,
    event: { userId: string | null; kind: string; ip?: string; userAgent?: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO identity.security_events (user_id, kind, ip, user_agent) VALUES ($1, $2, $3, $4)`,
      [event.userId, event.kind, event.ip ?? null, event.userAgent?.slice(0, 300) ?? null],
    );
  }

  async insertSession(
    manager: EntityManager,
    session: { id: string; userId: string; refreshTokenHash: string; userAgent?: string; ip?: string; expiresAt: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO identity.sessions (id, user_id, refresh_token_hash, user_agent, ip, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [session.id, session.userId, session.refreshTokenHash, session.userAgent?.slice(0, 300) ?? null, session.ip ?? null, session.expiresAt],
    );
  }
}
