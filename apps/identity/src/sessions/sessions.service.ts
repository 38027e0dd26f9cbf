import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, isUuid, Page, RequestOrigin, SessionView } from '@tally/contracts';
import { Messaging } from '@tally/messaging';
import { recordSecurityEvent } from '../audit/security-audit';
import { pageParams, sortParams } from '../users/page-params';
import { SessionRow, SessionsRepository } from './sessions.repository';

/** The caller's devices: list the live sessions, revoke one. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsRepository,
    private readonly messaging: Messaging,
  ) {}

  async list(actor: Actor, query: { limit?: unknown; offset?: unknown; sortBy?: unknown; sortOrder?: unknown }): Promise<Page<SessionView>> {
    const { limit, offset } = pageParams(query);
    const sort = sortParams(query, { lastUsedAt: 'last_used_at', createdAt: 'created_at', expiresAt: 'expires_at' });
    const { rows, total } = await this.sessions.listLive(actor.userId, limit, offset, sort);
    return { items: rows.map((row) => toSessionView(row, actor.sessionId)), total, limit, offset };
  }

  /** Someone else's session answers 404; revoking an already revoked one of your own is a no-op. */
  async revoke(actor: Actor, input: { sessionId: string } & RequestOrigin): Promise<void> {
    const notFound = new DomainError('NOT_FOUND', 'Session not found');
    if (!isUuid(input.sessionId)) throw notFound;
    const revoked = await this.dataSource.transaction(async (manager) => {
      const row = await this.sessions.revoke(manager, actor.userId, input.sessionId, 'revoked_by_user');
      if (row) {
        await recordSecurityEvent(manager, { userId: actor.userId, kind: 'session_revoked', sessionId: row.id, ip: input.ip, userAgent: input.userAgent });
      }
      return row;
    });
    if (revoked) {
      this.messaging.published();
      return;
    }
    if (!(await this.sessions.belongsTo(actor.userId, input.sessionId))) throw notFound;
  }
}

function toSessionView(row: SessionRow, currentSessionId: string | undefined): SessionView {
  return {
    id: row.id,
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: new Date(row.last_used_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    absoluteExpiresAt: new Date(row.absolute_expires_at).toISOString(),
    secondFactor: row.second_factor,
    current: row.id === currentSessionId,
  };
}
