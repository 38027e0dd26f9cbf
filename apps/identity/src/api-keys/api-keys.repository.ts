import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '@tally/database';
import { SortParams } from '../users/page-params';

export interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  idempotency_key: string | null;
  request_hash: string | null;
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    key: {
      id: string;
      userId: string;
      name: string;
      prefix: string;
      secretHash: string;
      scopes: string[];
      expiresAt: Date | null;
      idempotencyKey: string;
      requestHash: string;
    },
  ): Promise<ApiKeyRow> {
    const rows: ApiKeyRow[] = await manager.query(
      `INSERT INTO identity.api_keys (id, user_id, name, prefix, secret_hash, scopes, expires_at, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [key.id, key.userId, key.name, key.prefix, key.secretHash, key.scopes, key.expiresAt, key.idempotencyKey, key.requestHash],
    );
    return rows[0];
  }

  async findByIdempotencyKey(manager: EntityManager, userId: string, idempotencyKey: string): Promise<ApiKeyRow | undefined> {
    const rows: ApiKeyRow[] = await manager.query(`SELECT * FROM identity.api_keys WHERE user_id = $1 AND idempotency_key = $2`, [userId, idempotencyKey]);
    return rows[0];
  }

  async listForUser(userId: string, limit: number, offset: number, sort: SortParams): Promise<{ rows: ApiKeyRow[]; total: number }> {
    const rows: (ApiKeyRow & { total: string })[] = await this.dataSource.query(
      `SELECT *, count(*) OVER () AS total FROM identity.api_keys WHERE user_id = $1
        ORDER BY ${sort.column} ${sort.direction} NULLS LAST, id ${sort.direction} LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
    if (rows.length === 0 && offset > 0) {
      const count: { n: string }[] = await this.dataSource.query(`SELECT count(*) AS n FROM identity.api_keys WHERE user_id = $1`, [userId]);
      return { rows: [], total: Number(count[0].n) };
    }
    return { rows, total: rows.length > 0 ? Number(rows[0].total) : 0 };
  }

  async findForUser(userId: string, id: string): Promise<ApiKeyRow | undefined> {
    const rows: ApiKeyRow[] = await this.dataSource.query(`SELECT * FROM identity.api_keys WHERE id = $1 AND user_id = $2`, [id, userId]);
    return rows[0];
  }

  async revoke(manager: EntityManager, userId: string, id: string): Promise<ApiKeyRow | undefined> {
    const rows = returningRows<ApiKeyRow>(
      await manager.query(`UPDATE identity.api_keys SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING *`, [id, userId]),
    );
    return rows[0];
  }

  /** Revokes every live key of the user; the ids revoked. */
  async revokeAllForUser(manager: EntityManager, userId: string): Promise<string[]> {
    const rows = returningRows<{ id: string }>(
      await manager.query(`UPDATE identity.api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`, [userId]),
    );
    return rows.map((r) => r.id);
  }

  async findByPrefixWithOwner(prefix: string): Promise<(ApiKeyRow & { roles: string[]; status: string }) | undefined> {
    const rows: (ApiKeyRow & { roles: string[]; status: string })[] = await this.dataSource.query(
      `SELECT k.*, u.roles, u.status FROM identity.api_keys k JOIN identity.users u ON u.id = k.user_id WHERE k.prefix = $1`,
      [prefix],
    );
    return rows[0];
  }

  /** Records use at most once a second per key, so a busy key does not write on every request. */
  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE identity.api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 second')`,
      [id],
    );
  }
}
