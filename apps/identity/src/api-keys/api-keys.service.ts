import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  API_KEY_SCOPES,
  ApiKeyView,
  CreateApiKeyPayload,
  CreatedApiKey,
  DomainError,
  isUuid,
  Page,
  RequestOrigin,
  ResolvedPrincipal,
  uuidv7,
} from '@tally/contracts';
import { Messaging } from '@tally/messaging';
import { recordSecurityEvent } from '../audit/security-audit';
import { apiKeyPrefix, hashToken, newApiKey, sameDigest, tokenUsable } from '../tokens/opaque-token';
import { pageParams, sortParams } from '../users/page-params';
import { ApiKeyRow, ApiKeysRepository } from './api-keys.repository';

const MAX_ACTIVE_KEYS = 20;

/** Partner and service keys: shown once, stored as a SHA-256 of the whole key, scoped, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ApiKeysRepository,
    private readonly messaging: Messaging,
  ) {}

  /**
   * A new key and its secret, shown this once. The same Idempotency-Key with the same body answers
   * the key created first, without its secret (only its hash is kept), so a client that lost the
   * first answer revokes that key and creates another; with another body, 409.
   */
  async create(actor: Actor, input: CreateApiKeyPayload, idempotencyKey: string | undefined): Promise<CreatedApiKey | ApiKeyView> {
    if (!idempotencyKey) throw new DomainError('VALIDATION_FAILED', 'An Idempotency-Key header is required');
    const problems: Record<string, string> = {};
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length < 1 || name.length > 100) problems.name = 'must be 1 to 100 characters';
    const scopes = Array.isArray(input.scopes) ? [...new Set(input.scopes)] : [];
    if (scopes.length === 0 || !scopes.every((s) => (API_KEY_SCOPES as readonly string[]).includes(s))) {
      problems.scopes = `must be a non-empty list of ${API_KEY_SCOPES.join(', ')}`;
    }
    let expiresAt: Date | null = null;
    if (input.expiresAt !== undefined && input.expiresAt !== null) {
      expiresAt = new Date(String(input.expiresAt));
      if (Number.isNaN(expiresAt.getTime()) || !/[zZ]|[+-]\d{2}:\d{2}$/.test(String(input.expiresAt))) {
        problems.expiresAt = 'must be an ISO 8601 time with a zone';
      } else if (expiresAt.getTime() <= Date.now()) {
        problems.expiresAt = 'must be in the future';
      }
    }
    if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The API key is invalid', problems);
    const requestHash = createHash('sha256')
      .update(JSON.stringify({ name, scopes: [...scopes].sort(), expiresAt: expiresAt?.toISOString() ?? null }))
      .digest('hex');
    const { key, prefix } = newApiKey();
    const created = await this.dataSource.transaction(async (manager) => {
      // Serialises one user's key creations so the cap cannot be raced past, nor one key used twice.
      await manager.query(`SELECT 1 FROM identity.users WHERE id = $1 FOR UPDATE`, [actor.userId]);
      const earlier = await this.keys.findByIdempotencyKey(manager, actor.userId, idempotencyKey);
      if (earlier) {
        if (earlier.request_hash !== requestHash) throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body');
        return { row: earlier, replay: true };
      }
      const active: { n: string }[] = await manager.query(
        `SELECT count(*) AS n FROM identity.api_keys WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
        [actor.userId],
      );
      if (Number(active[0].n) >= MAX_ACTIVE_KEYS) {
        throw new DomainError('CONFLICT', `At most ${MAX_ACTIVE_KEYS} active API keys; revoke one first`);
      }
      const inserted = await this.keys.insert(manager, {
        id: uuidv7(),
        userId: actor.userId,
        name,
        prefix,
        secretHash: hashToken(key),
        scopes,
        expiresAt,
        idempotencyKey,
        requestHash,
      });
      await recordSecurityEvent(manager, { userId: actor.userId, kind: 'api_key_created', apiKeyId: inserted.id, ip: input.ip, userAgent: input.userAgent });
      return { row: inserted, replay: false };
    });
    if (created.replay) return toApiKeyView(created.row);
    this.messaging.published();
    return { ...toApiKeyView(created.row), key };
  }

  async list(actor: Actor, query: { limit?: unknown; offset?: unknown; sortBy?: unknown; sortOrder?: unknown }): Promise<Page<ApiKeyView>> {
    const { limit, offset } = pageParams(query);
    const sort = sortParams(query, { createdAt: 'created_at', lastUsedAt: 'last_used_at', name: 'lower(name)' });
    const { rows, total } = await this.keys.listForUser(actor.userId, limit, offset, sort);
    return { items: rows.map(toApiKeyView), total, limit, offset };
  }

  /** Someone else's key answers 404; revoking one's own revoked key again is a no-op. */
  async revoke(actor: Actor, input: { apiKeyId: string } & RequestOrigin): Promise<void> {
    const notFound = new DomainError('NOT_FOUND', 'API key not found');
    if (!isUuid(input.apiKeyId)) throw notFound;
    const revoked = await this.dataSource.transaction(async (manager) => {
      const row = await this.keys.revoke(manager, actor.userId, input.apiKeyId);
      if (row)
        await recordSecurityEvent(manager, { userId: actor.userId, kind: 'api_key_revoked', apiKeyId: row.id, ip: input.ip, userAgent: input.userAgent });
      return row;
    });
    if (revoked) {
      this.messaging.published();
      return;
    }
    if (!(await this.keys.findForUser(actor.userId, input.apiKeyId))) throw notFound;
  }

  /** The gateway's lookup for an X-API-Key header: the owner, scopes and status, or 401. */
  async resolve(input: { key: string }): Promise<ResolvedPrincipal> {
    const invalid = new DomainError('UNAUTHENTICATED', 'The API key is invalid, expired or revoked');
    const prefix = typeof input.key === 'string' ? apiKeyPrefix(input.key) : undefined;
    if (!prefix) throw invalid;
    const row = await this.keys.findByPrefixWithOwner(prefix);
    if (!row || !sameDigest(row.secret_hash, hashToken(input.key))) throw invalid;
    const usable = tokenUsable({ expiresAt: row.expires_at ? new Date(row.expires_at) : null, revokedAt: row.revoked_at }, new Date());
    if (!usable || row.status === 'closed') throw invalid;
    await this.keys.touch(row.id);
    // A key acts as its owner, but only ever with the user role: never admin, whatever the owner holds.
    return { userId: row.user_id, roles: ['user'], status: row.status as 'active' | 'suspended', apiKeyId: row.id, scopes: row.scopes };
  }
}

function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    name: row.name,
    prefix: `tk_${row.prefix}`,
    scopes: row.scopes,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}
