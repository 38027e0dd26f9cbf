import { EntityManager } from 'typeorm';
import { EventContract, EventEnvelope, eventProblems, uuidv7 } from '@tally/contracts';
import { currentTraceparent } from '@tally/observability';

export interface OutboxEventInput<TData> {
  source: string;
  subject: string;
  data: TData;
  /** Partition key; defaults to the subject so events of one aggregate stay in order. */
  key?: string;
  occurredAt?: Date;
  /** The event id when it must be deterministic (the ledger derives it from the journal entry, so a replay repeats it); default a new UUIDv7. */
  id?: string;
}

/** An outbox row as it is stored: the envelope, where it goes, and its partition key. */
export interface OutboxRow<TData = unknown> {
  id: string;
  topic: string;
  key: string;
  payload: EventEnvelope<TData>;
  headers: Record<string, string>;
}

/**
 * Builds and validates the outbox row of an event (the trace context rides along), for writers
 * that insert rows themselves in batches (the ledger's posting kernel). Invalid data throws.
 */
export function outboxRow<TData>(contract: EventContract<TData>, input: OutboxEventInput<TData>): OutboxRow<TData> {
  const traceparent = currentTraceparent();
  const envelope: EventEnvelope<TData> = {
    id: input.id ?? uuidv7(),
    type: contract.type,
    version: contract.version,
    source: input.source,
    subject: input.subject,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    ...(traceparent ? { traceparent } : {}),
    data: input.data,
  };
  const problems = eventProblems(contract, envelope);
  if (problems.length > 0) {
    throw new Error(`Refusing to publish invalid ${contract.type}: ${problems.join('; ')}`);
  }
  return { id: envelope.id, topic: contract.topic, key: input.key ?? input.subject, payload: envelope, headers: traceparent ? { traceparent } : {} };
}

/**
 * Writes an event into the service's outbox inside the caller's transaction, so the event exists
 * if and only if the state change it announces was committed.
 */
export async function enqueueEvent<TData>(
  manager: EntityManager,
  schema: string,
  contract: EventContract<TData>,
  input: OutboxEventInput<TData>,
): Promise<EventEnvelope<TData>> {
  const row = outboxRow(contract, input);
  await manager.query(`INSERT INTO "${schema}".outbox (id, topic, key, payload, headers) VALUES ($1, $2, $3, $4, $5)`, [
    row.id,
    row.topic,
    row.key,
    JSON.stringify(row.payload),
    JSON.stringify(row.headers),
  ]);
  return row.payload;
}
