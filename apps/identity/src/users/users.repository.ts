import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AttemptOutcome, AttemptState, claimAttempt, settleAttempt } from '../auth/login-attempts';

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
  time_zone: string;
  default_currency: string | null;
  language: 'en' | 'es' | 'fr' | 'de' | 'pt';
  theme: 'light' | 'dark';
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

/** Whose lockout count an attempt uses: an account, or a login name that matches none (a hash of it). */
export type LoginCounter = { userId: string } | { loginHash: string };

function counterRow(who: LoginCounter): ['users' | 'unknown_login_failures', 'id' | 'login_hash', string] {
  return 'userId' in who ? ['users', 'id', who.userId] : ['unknown_login_failures', 'login_hash', who.loginHash];
}

@Injectable()
export class UsersRepository {
  constructor(readonly dataSource: DataSource) {}

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

  /** The user a login names, row locked for the caller's transaction (pass the DataSource's manager to read without a lock). */
  async findForLogin(manager: EntityManager, login: { email?: string; username?: string; id?: string }, lock = true): Promise<UserRow | undefined> {
    const [column, value] = login.id ? ['id', login.id] : login.email ? ['lower(email)', login.email] : ['lower(username)', login.username];
    const match = column === 'id' ? '$1' : 'lower($1)';
    const rows: UserRow[] = await manager.query(`SELECT * FROM identity.users WHERE ${column} = ${match}${lock ? ' FOR UPDATE' : ''}`, [value]);
    return rows[0];
  }

  /** The same, read outside any transaction (before a password check, which must never run inside one). */
  findForLoginUnlocked(login: { email?: string; username?: string; id?: string }): Promise<UserRow | undefined> {
    return this.findForLogin(this.dataSource.manager, login, false);
  }

  /**
   * Takes a place in the lockout count of an account (by id) or of a login name that matches none
   * (by hash), in a short transaction of its own; false when the name is locked (`onLocked` runs in
   * that transaction when this claim is the one that locked it).
   */
  async claimLoginAttempt(who: LoginCounter, maxFailures: number, lockoutMs: number, onLocked: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const state = await this.lockCounter(manager, who);
      const claim = claimAttempt(state, new Date(), maxFailures, lockoutMs);
      await this.writeCounter(manager, who, claim.next);
      if (claim.newlyLocked) await onLocked(manager);
      return claim.allowed;
    });
  }

  /** Settles a claimed attempt in the caller's transaction; newlyLocked when this failure locked the name. */
  async settleLoginAttempt(
    manager: EntityManager,
    who: LoginCounter,
    outcome: AttemptOutcome,
    maxFailures: number,
    lockoutMs: number,
  ): Promise<{ newlyLocked: boolean }> {
    const state = await this.lockCounter(manager, who);
    const settled = settleAttempt(state, outcome, new Date(), maxFailures, lockoutMs);
    await this.writeCounter(manager, who, settled.next);
    return { newlyLocked: settled.newlyLocked };
  }

  private async lockCounter(manager: EntityManager, who: LoginCounter): Promise<AttemptState> {
    if ('loginHash' in who) {
      await manager.query(`INSERT INTO identity.unknown_login_failures (login_hash) VALUES ($1) ON CONFLICT (login_hash) DO NOTHING`, [who.loginHash]);
    }
    const [table, column, key] = counterRow(who);
    const rows: { failed_logins: number; locked_until: Date | null }[] = await manager.query(
      `SELECT failed_logins, locked_until FROM identity.${table} WHERE ${column} = $1 FOR UPDATE`,
      [key],
    );
    const row = rows[0] ?? { failed_logins: 0, locked_until: null };
    return { failedLogins: row.failed_logins, lockedUntil: row.locked_until ? new Date(row.locked_until) : null };
  }

  private async writeCounter(manager: EntityManager, who: LoginCounter, next: AttemptState): Promise<void> {
    const [table, column, key] = counterRow(who);
    await manager.query(`UPDATE identity.${table} SET failed_logins = $2, locked_until = $3, updated_at = now() WHERE ${column} = $1`, [
      key,
      next.failedLogins,
      next.lockedUntil,
    ]);
  }

  /** Replaces the hash only if it is still the one the caller verified (a concurrent change wins). */
  async upgradePasswordHash(manager: EntityManager, id: string, verifiedHash: string, newHash: string): Promise<void> {
    await manager.query(`UPDATE identity.users SET password_hash = $3, updated_at = now() WHERE id = $1 AND password_hash = $2`, [id, verifiedHash, newHash]);
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
