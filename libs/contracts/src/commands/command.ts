import { DomainError, ErrorCode } from '../errors';

/** Who asks: set by the gateway from a verified token, never from the request body. */
export interface Actor {
  userId: string;
  roles: string[];
  /** The user's status when the gateway checked the token (identity is asked on each request, cached briefly). */
  status?: 'active' | 'suspended' | 'closed';
  /** The login session of a person's access token. */
  sessionId?: string;
  /** Set instead of sessionId when a partner or service called with X-API-Key. */
  apiKeyId?: string;
  /** The API key's scopes (with apiKeyId): services check again what the gateway checked. */
  scopes?: string[];
}

/** Roles that may read the admin routes; only `admin` acts on them (an auditor reads, never changes). */
export const ADMIN_READ_ROLES = ['admin', 'auditor'];

/** The actor if it holds one of `roles`, else 403 FORBIDDEN: each service checks again what the gateway checked. */
export function requireRole(actor: Actor, ...roles: string[]): Actor {
  if (!roles.some((role) => actor.roles.includes(role))) throw new DomainError('FORBIDDEN', `This needs the ${roles.join(' or ')} role`);
  return actor;
}

/** A request sent over Kafka to a service's command topic; answered on its reply topic. */
export interface CommandMessage<TPayload = unknown> {
  type: string;
  /** The contract version of the payload (libs/contracts commands); left out, it is 1. */
  version?: number;
  /** Who asks; a service believes it only as vouched for by `assertion`. */
  actor?: Actor;
  idempotencyKey?: string;
  payload: TPayload;
  /** The gateway's signed actor assertion (libs/auth actor-assertion.ts): actor, command, payload digest, audience, a minute. */
  assertion?: string;
}

export type CommandReply<TData = unknown> =
  { ok: true; data: TData } | { ok: false; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };
