import { ErrorCode } from '../errors';

/** Who asks: set by the gateway from a verified token, never from the request body. */
export interface Actor {
  userId: string;
  roles: string[];
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
