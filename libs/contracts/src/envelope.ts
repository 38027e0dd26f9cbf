import { randomBytes } from 'node:crypto';

/** The versioned, CloudEvents-like envelope every event travels in. */
export interface EventEnvelope<TData = unknown> {
  /** UUIDv7: unique and roughly time-ordered. Consumers dedupe on it. */
  id: string;
  type: string;
  version: number;
  /** The producing service. */
  source: string;
  /** The aggregate the event is about (also the partition key). */
  subject: string;
  occurredAt: string;
  /** W3C trace context of the operation that caused the event. */
  traceparent?: string;
  data: TData;
}

/** RFC 9562 UUIDv7: 48-bit millisecond timestamp, then random bits. */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  const ts = BigInt(now);
  for (let i = 0; i < 6; i++) {
    bytes[i] = Number((ts >> BigInt(8 * (5 - i))) & 0xffn);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Checks the envelope's own fields; the data is checked by the event's contract. */
export function envelopeProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['envelope is not an object'];
  const e = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!isUuid(e.id)) problems.push('id must be a UUID');
  for (const field of ['type', 'source', 'subject', 'occurredAt'] as const) {
    if (typeof e[field] !== 'string' || (e[field] as string).length === 0) problems.push(`${field} must be a string`);
  }
  if (!Number.isInteger(e.version) || (e.version as number) < 1) problems.push('version must be a positive integer');
  if (typeof e.data !== 'object' || e.data === null) problems.push('data must be an object');
  return problems;
}
