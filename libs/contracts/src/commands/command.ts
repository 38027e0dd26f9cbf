import { ErrorCode } from '../errors';

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
}

/** A request sent over Kafka to a service's command topic; answered on its reply topic. */
export interface CommandMessage<TPayload = unknown> {
  type: string;
  actor?: Actor;
  idempotencyKey?: string;
  payload: TPayload;
}

export type CommandReply<TData = unknown> =
  | { ok: true; data: TData }
  | { ok: false; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };
