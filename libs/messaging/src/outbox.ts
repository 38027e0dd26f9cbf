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
  const headers = traceparent ? { traceparent } : {};
  await manager.query(
    `INSERT INTO "${schema}".outbox (id, topic, key, payload, headers) VALUES ($1, $2, $3, $4, $5)`,
    [envelope.id, contract.topic, input.key ?? input.subject, JSON.stringify(envelope), JSON.stringify(headers)],
  );
  return envelope;
}
