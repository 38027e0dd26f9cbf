import { EntityManager } from 'typeorm';
import { RequestOrigin, SecurityEventKind, SecurityEventV1 } from '@tally/contracts';
import { enqueueEvent } from '@tally/messaging';

export interface SecurityEntry extends RequestOrigin {
  userId: string | null;
  kind: SecurityEventKind;
  sessionId?: string;
  apiKeyId?: string;
  /** An admin acting on someone else's account. */
  actorId?: string;
}

/**
 * One entry of the security audit trail: a row in identity.security_events and a security.event
 * on identity.events, both in the caller's transaction. Never carries a password or token; the
 * session id stays in the row (an admin reads it there) and is left out of the event.
 */
export async function recordSecurityEvent(manager: EntityManager, entry: SecurityEntry): Promise<void> {
  const userAgent = entry.userAgent?.slice(0, 300) ?? null;
  const ip = entry.ip?.slice(0, 64) ?? null;
  await manager.query(
    `INSERT INTO identity.security_events (user_id, kind, ip, user_agent, session_id, api_key_id, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [entry.userId, entry.kind, ip, userAgent, entry.sessionId ?? null, entry.apiKeyId ?? null, entry.actorId ?? null],
  );
  // A failure naming no account stays in this trail only: nothing on the bus acts on it, and a login
  // flood would otherwise flood every consumer of identity.events too.
  if (entry.userId === null) return;
  await enqueueEvent(manager, 'identity', SecurityEventV1, {
    source: 'identity',
    // Partitioned by user so one account's trail stays in order.
    subject: entry.userId,
    data: {
      userId: entry.userId,
      kind: entry.kind,
      ip,
      userAgent,
      apiKeyId: entry.apiKeyId ?? null,
      actorId: entry.actorId ?? null,
    },
  });
}
