import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@tally/contracts';

export type Claim = { replay: false } | { replay: true; response: unknown };

/** Canonical JSON (sorted keys) so the same request always hashes the same. */
export function requestHash(command: string, payload: Record<string, unknown>): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash('sha256')
    .update(command)
    .update(JSON.stringify(canonical(payload)))
    .digest('hex');
}

/**
 * Durable idempotency keys. The key is claimed in the same transaction as the command's effect, so
 * a key exists exactly when the effect does; a concurrent twin waits on the key and then replays.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A cheap look-up before doing expensive work (PIN checks) for a request that was already done. */
  async find(scope: string, key: string, command: string, hash: string): Promise<Claim> {
    const rows = await this.dataSource.query(`SELECT command, request_hash, response FROM ledger.idempotency_keys WHERE scope = $1 AND key = $2`, [scope, key]);
    return rows.length === 0 ? { replay: false } : this.compare(rows[0], command, hash);
  }

  async claim(manager: EntityManager, scope: string, key: string, command: string, hash: string): Promise<Claim> {
    const inserted = await manager.query(
      `INSERT INTO ledger.idempotency_keys (scope, key, command, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, command, hash],
    );
    if (inserted.length > 0) return { replay: false };
    const rows = await manager.query(`SELECT command, request_hash, response FROM ledger.idempotency_keys WHERE scope = $1 AND key = $2`, [scope, key]);
    return this.compare(rows[0], command, hash);
  }

  async complete(manager: EntityManager, scope: string, key: string, response: unknown): Promise<void> {
    await manager.query(`UPDATE ledger.idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2`, [scope, key, JSON.stringify(response)]);
  }

  private compare(row: { command: string; request_hash: string; response: unknown }, command: string, hash: string): Claim {
    if (row.command !== command || row.request_hash !== hash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
    }
    return { replay: true, response: row.response };
  }
}
