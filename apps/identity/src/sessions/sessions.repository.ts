import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '@tally/database';
import { SecondFactor } from '@tally/contracts';
import { SortParams } from '../users/page-params';

export interface SessionRow {
  id: string;
  user_id: string;
  refresh_token_hash: string;
  user_agent: string | null;
  ip: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  absolute_expires_at: Date;
  second_factor: SecondFactor | null;
  revoked_at: Date | null;
}

/** A session whose refresh token, user and lifetime are still good: with the user's current roles and status. */
export interface LiveSession {
  roles: string[];
  status: 'active' | 'suspended';
  second_factor: SecondFactor | null;
  absolute_expires_at: Date;
}

/** Login sessions (one per device) and the refresh tokens they rotated away from. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    session: {
      id: string;
      userId: string;
      refreshTokenHash: string;
      userAgent?: string;
      ip?: string;
      expiresAt: Date;
      absoluteExpiresAt: Date;
      secondFactor: SecondFactor | null;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO identity.sessions (id, user_id, refresh_token_hash, user_agent, ip, expires_at, absolute_expires_at, second_factor)
       VALUES ($1, $2, $3, $4, $5, least($6::timestamptz, $7::timestamptz), $7, $8)`,
      [
        session.id,
        session.userId,
        session.refreshTokenHash,
        session.userAgent?.slice(0, 300) ?? null,
        session.ip?.slice(0, 64) ?? null,
        session.expiresAt,
        session.absoluteExpiresAt,
        session.secondFactor,
      ],
    );
  }

  /** The session whose current refresh token this is, locked so two refreshes cannot both rotate it. */
  async findByRefreshHashForUpdate(manager: EntityManager, hash: string): Promise<SessionRow | undefined> {
    const rows: SessionRow[] = await manager.query(`SELECT * FROM identity.sessions WHERE refresh_token_hash = $1 FOR UPDATE`, [hash]);
    return rows[0];
  }

  /** The session a refresh token used to belong to before it was rotated. */
  async findRotated(manager: EntityManager, hash: string): Promise<string | undefined> {
    const rows: { session_id: string }[] = await manager.query(`SELECT session_id FROM identity.rotated_refresh_tokens WHERE token_hash = $1`, [hash]);
    return rows[0]?.session_id;
  }

  async rotate(manager: EntityManager, session: SessionRow, newHash: string, expiresAt: Date, origin: { ip?: string }): Promise<void> {
    await manager.query(`INSERT INTO identity.rotated_refresh_tokens (token_hash, session_id) VALUES ($1, $2)`, [session.refresh_token_hash, session.id]);
    await manager.query(
      // A refresh never takes a session past its absolute end.
      `UPDATE identity.sessions SET refresh_token_hash = $2, expires_at = least($3::timestamptz, absolute_expires_at), last_used_at = now(), ip = coalesce($4, ip)
        WHERE id = $1`,
      [session.id, newHash, expiresAt, origin.ip?.slice(0, 64) ?? null],
    );
  }

  /** Revokes one session if it is the user's and still live; the row when it was revoked now, else undefined. */
  async revoke(manager: EntityManager, userId: string, sessionId: string, reason: string): Promise<SessionRow | undefined> {
    const rows = returningRows<SessionRow>(
      await manager.query(
        `UPDATE identity.sessions SET revoked_at = now(), revoked_reason = $3
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING *`,
        [sessionId, userId, reason],
      ),
    );
    return rows[0];
  }

  /** Revokes every live session of the user but `keep` (the caller's own, when it changes its password). */
  async revokeAllForUser(manager: EntityManager, userId: string, reason: string, keep?: string): Promise<number> {
    const rows = returningRows<{ id: string }>(
      await manager.query(
        `UPDATE identity.sessions SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $3 RETURNING id`,
        [userId, reason, keep ?? null],
      ),
    );
    return rows.length;
  }

  async belongsTo(userId: string, sessionId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM identity.sessions WHERE id = $1 AND user_id = $2`, [sessionId, userId]);
    return rows.length > 0;
  }

  /** A session that can still be used: not revoked, not expired, within its lifetime, its user not closed. */
  async findLive(userId: string, sessionId: string): Promise<LiveSession | undefined> {
    const rows: LiveSession[] = await this.dataSource.query(
      `SELECT u.roles, u.status, s.second_factor, s.absolute_expires_at FROM identity.sessions s JOIN identity.users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND s.absolute_expires_at > now()
          AND u.status <> 'closed'`,
      [sessionId, userId],
    );
    return rows[0];
  }

  async listLive(userId: string, limit: number, offset: number, sort: SortParams): Promise<{ rows: SessionRow[]; total: number }> {
    const rows: (SessionRow & { total: string })[] = await this.dataSource.query(
      `SELECT *, count(*) OVER () AS total FROM identity.sessions
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
        ORDER BY ${sort.column} ${sort.direction}, id ${sort.direction} LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
    if (rows.length === 0 && offset > 0) {
      const count: { n: string }[] = await this.dataSource.query(
        `SELECT count(*) AS n FROM identity.sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()`,
        [userId],
      );
      return { rows: [], total: Number(count[0].n) };
    }
    return { rows, total: rows.length > 0 ? Number(rows[0].total) : 0 };
  }
}
