import { Shape, shapeProblems } from '../schema';
import { Topic } from '../topics';

/**
 * One command at one version: the topic it goes to, its type, the shape of its payload (checked by
 * the gateway before it sends and by the service before it acts) and, as types, its payload and
 * reply. A change that is not additive is a new version, defined beside the old one.
 */
export interface CommandContract<TPayload = unknown, TReply = unknown> {
  topic: Topic;
  type: string;
  version: number;
  shape: Shape;
  /** Phantom fields that carry the payload and reply types; never set. */
  readonly _payload?: TPayload;
  readonly _reply?: TReply;
}

export function defineCommand<TPayload, TReply = unknown>(contract: {
  topic: Topic;
  type: string;
  version?: number;
  shape: Shape;
}): CommandContract<TPayload, TReply> {
  return { version: 1, ...contract };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommandContract = CommandContract<any, any>;
export type PayloadOf<C> = C extends CommandContract<infer P, unknown> ? P : never;
export type ReplyOf<C> = C extends CommandContract<unknown, infer R> ? R : never;

/** A command that takes no payload fields. */
export type NoPayload = Record<string, never>;

/** A list's paging and order, as the query string gave them (each service checks them). */
export interface ListQuery {
  limit?: string | number;
  offset?: string | number;
  sortBy?: string;
  sortOrder?: string;
}

/** Where a request came from (the gateway adds it to commands that are audited). */
export const REQUEST_ORIGIN_SHAPE: Shape = { ip: 'string?', userAgent: 'string?' };

/** Problems with a command's payload against its contract; empty when it is valid. Fields the shape does not name may be added (additive changes). */
export function commandPayloadProblems(contract: AnyCommandContract, payload: unknown): string[] {
  return shapeProblems(contract.shape, payload).map((problem) => problem.replace(/^data /, 'payload '));
}
