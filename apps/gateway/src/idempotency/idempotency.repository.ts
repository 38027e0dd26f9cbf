import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '@tally/contracts';

export type IdempotencyClaim =
  /** This request owns the key now: run it, then complete() or release(). */
  | { kind: 'run' }
  /** The key's first request succeeded: answer what it answered. */
  | { kind: 'replay'; statusCode: number; response: unknown }
  /** Another request with this key and body is running right now. */
  | { kind: 'in_progress' };

/**
 * Body fields that hold a secret (PINs, passwords, second-factor codes, email-link tokens): left
 * out of the fingerprint, so a stored fingerprint says nothing about them. The one list; a DTO
 * with a new secret field adds its name here.
 */
export const SECRET_BODY_FIELDS: ReadonlySet<string> = new Set([
  'pin',
  'oldPin',
  'newPin',
  'password',
  'currentPassword',
  'newPassword',
  'code',
  'totp',
  'totpCode',
  'recoveryCode',
  'token',
  'refreshToken',
]);

/**
 * HMAC-SHA-256 under the server's IDEMPOTENCY_HMAC_KEY of method, path and the body as canonical
 * JSON (sorted keys) without its secret fields, so a re-sent request matches and a fingerprint read
 * from the database cannot be searched for a PIN (an unkeyed hash of a 4-digit PIN falls to a
 * million guesses). Records written before the key was introduced stop matching: a retry with such
 * a key answers 409 IDEMPOTENCY_KEY_REUSED until it expires.
 */
export function requestFingerprint(hmacKey: string, method: string, path: string, body: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .filter((k) => !SECRET_BODY_FIELDS.has(k))
              .sort()
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHmac('sha256', hmacKey)
    .update(`${method} ${path}\n`)
    .update(JSON.stringify(canonical(body ?? null)))
    .digest('hex');
}

/**
 * gateway.idempotency_records: one row per (caller, Idempotency-Key). A row is claimed with a lease
 * before the request runs and holds the response once it succeeded; a failed request releases it.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async claim(scope: string, key: string, fingerprint: string, leaseMs: number, ttlHours: number): Promise<IdempotencyClaim> {
    // Insert, or take over a row that expired or whose owner died mid-request (lease over, no answer).
    const taken = await this.dataSource.query(
      `INSERT INTO gateway.idempotency_records AS r (scope, key, fingerprint, locked_until, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000), now() + make_interval(hours => $5::int))
       ON CONFLICT (scope, key) DO UPDATE
          SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, response = NULL, created_at = now(),
              locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at
        WHERE r.expires_at < now() OR (r.status_code IS NULL AND r.locked_until < now() AND r.fingerprint = EXCLUDED.fingerprint)
       RETURNING 1`,
      [scope, key, fingerprint, leaseMs, ttlHours],
    );
    if (taken.length > 0) return { kind: 'run' };
    const rows: { fingerprint: string; status_code: number | null; response: unknown }[] = await this.dataSource.query(
      `SELECT fingerprint, status_code, response FROM gateway.idempotency_records WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    // Released between the two statements: claim again.
    if (rows.length === 0) return this.claim(scope, key, fingerprint, leaseMs, ttlHours);
    if (rows[0].fingerprint !== fingerprint) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
    }
    return rows[0].status_code === null ? { kind: 'in_progress' } : { kind: 'replay', statusCode: rows[0].status_code, response: rows[0].response };
  }

  async complete(scope: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.dataSource.query(`UPDATE gateway.idempotency_records SET status_code = $3, response = $4::jsonb WHERE scope = $1 AND key = $2`, [
      scope,
      key,
      statusCode,
      JSON.stringify(response ?? null),
    ]);
  }

  /** The request failed: the key is free again (only successes are remembered, as the ledger does). */
  async release(scope: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM gateway.idempotency_records WHERE scope = $1 AND key = $2 AND status_code IS NULL`, [scope, key]);
  }

  /** Deletes up to `batch` expired records; returns how many. */
  async purgeExpired(batch = 5000): Promise<number> {
    const rows = await this.dataSource.query(
      `DELETE FROM gateway.idempotency_records WHERE ctid IN (
         SELECT ctid FROM gateway.idempotency_records WHERE expires_at < now() LIMIT $1) RETURNING 1`,
      [batch],
    );
    return rows.length;
  }
}
