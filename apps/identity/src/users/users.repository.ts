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
  email_verified_at: Date | null;
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
  async findForLogin(manager: EntityManager, login: { email?: string; username?: string; id?: string }): Promise<UserRow | undefined> {
    const [column, value] = login.id ? ['id', login.id] : login.email ? ['lower(email)', login.email] : ['lower(username)', login.username];
    const match = column === 'id' ? '$1' : 'lower($1)';
    const rows: UserRow[] = await manager.query(`SELECT * FROM identity.users WHERE ${column} = ${match} FOR UPDATE`, [value]);
    return rows[0];
  }

  async recordFailedLogin(manager: EntityManager, id: string, maxFailures: number, lockoutMinutes: number): Promise<UserRow> {
    const rows = returningRows<UserRow>(await manager.query(
      `UPDATE identity.users
          SET failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
              -- An expired lock starts a fresh count; otherwise the first miss after it would lock again.
              locked_until = CASE
                WHEN locked_until IS NOT NULL AND locked_until <= now() THEN CASE WHEN 1 >= $2 THEN now() + make_interval(mins => $3) END
                WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3)
                ELSE locked_until END,
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

  /** Counts a failed login for a name that matches no account, locking it like a real one. */
  async recordUnknownLoginFailure(manager: EntityManager, loginHash: string, maxFailures: number, lockoutMinutes: number): Promise<void> {
    await manager.query(
      `INSERT INTO identity.unknown_login_failures AS f (login_hash, failed_logins, locked_until)
       VALUES ($1, 1, CASE WHEN 1 >= $2 THEN now() + make_interval(mins => $3) END)
       ON CONFLICT (login_hash) DO UPDATE
          SET failed_logins = CASE WHEN f.locked_until IS NOT NULL AND f.locked_until <= now() THEN 1 ELSE f.failed_logins + 1 END,
              locked_until = CASE
                WHEN f.locked_until IS NOT NULL AND f.locked_until <= now() THEN CASE WHEN 1 >= $2 THEN now() + make_interval(mins => $3) END
                WHEN f.failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3)
                ELSE f.locked_until END,
              updated_at = now()`,
      [loginHash, maxFailures, lockoutMinutes],
    );
  }

  async unknownLoginLocked(manager: EntityManager, loginHash: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM identity.unknown_login_failures WHERE login_hash = $1 AND locked_until > now()`,
      [loginHash],
    );
    return rows.length > 0;
  }

  async setPassword(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await manager.query(
      `UPDATE identity.users
          SET password_hash = $2, failed_logins = 0, locked_until = NULL,
              email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
        WHERE id = $1`,
      [id, passwordHash],
    );
  }

  async markEmailVerified(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE identity.users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1`, [id]);
  }
}
