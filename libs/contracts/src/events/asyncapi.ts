import { BaseRule, FieldRule, Shape } from '../schema';
import { deadLetterTopic, Topics } from '../topics';
import { CatalogueEntry, EVENT_CATALOGUE } from './event-catalogue';

type JsonSchema = Record<string, unknown>;

/** Who writes each event topic and what keeps order on it. */
const CHANNELS: { id: string; topic: string; producer: string; description: string; sameAs?: string }[] = [
  { id: 'ledgerEvents', topic: Topics.ledgerEvents, producer: 'ledger', description: 'Wallets and money movements, as the journal commits them.' },
  {
    id: 'ledgerReplay',
    topic: Topics.ledgerReplay,
    producer: 'ledger',
    description:
      "The ledger's events published again by a journal replay (POST /v1/admin/ledger/replays): same ids, types, versions and data as on ledger.events, for projections being rebuilt; live consumers do not read it. goal.milestone is not replayed.",
    sameAs: Topics.ledgerEvents,
  },
  {
    id: 'fraudDecisions',
    topic: Topics.fraudDecisions,
    producer: 'fraud',
    description: "Fraud's decision on each held transaction, and admins' review decisions.",
  },
  { id: 'identityEvents', topic: Topics.identityEvents, producer: 'identity', description: 'Registrations, the security audit trail, and tokens to email.' },
  { id: 'analyticsEvents', topic: Topics.analyticsEvents, producer: 'analytics', description: 'Thresholds reached by projections (budgets).' },
  { id: 'auditEvents', topic: Topics.auditEvents, producer: 'ledger and fraud', description: 'Admin actions, for the audit log analytics keeps.' },
];

const FIELD_SCHEMAS: Record<BaseRule, JsonSchema> = {
  string: { type: 'string' },
  uuid: { type: 'string', format: 'uuid' },
  minor: { type: 'string', pattern: '^-?\\d{1,20}$', description: 'integer minor units of the currency, as a string' },
  currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' },
  int: { type: 'integer' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  'string[]': { type: 'array', items: { type: 'string' } },
  array: { type: 'array' },
  object: { type: 'object', additionalProperties: true },
};

function fieldSchema(rule: FieldRule): JsonSchema {
  if (!rule.endsWith('?')) return FIELD_SCHEMAS[rule as BaseRule];
  const base = FIELD_SCHEMAS[rule.slice(0, -1) as BaseRule];
  return { ...base, type: [base.type as string, 'null'] };
}

/** The JSON Schema of a contract's shape: exactly what producer and consumer check (schema.ts). Unknown fields may be added (additive changes). */
export function shapeSchema(shape: Shape): JsonSchema {
  return {
    type: 'object',
    required: Object.entries(shape)
      .filter(([, rule]) => !rule.endsWith('?'))
      .map(([field]) => field),
    properties: Object.fromEntries(Object.entries(shape).map(([field, rule]) => [field, fieldSchema(rule)])),
    additionalProperties: true,
  };
}

const messageId = (entry: CatalogueEntry) => `${entry.contract.type.replace(/[^a-z0-9]+/gi, '_')}_v${entry.contract.version}`;
const schemaId = (entry: CatalogueEntry) => `${messageId(entry)}_data`;

/** The example of an entry as it travels: the whole envelope, with the headers the relay sets. */
export function exampleEnvelope(entry: CatalogueEntry): { headers: Record<string, string>; payload: Record<string, unknown> } {
  const id = '0195f0b0-0000-7000-8000-000000000001';
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  return {
    headers: { traceparent, 'event-id': id },
    payload: {
      id,
      type: entry.contract.type,
      version: entry.contract.version,
      source: CHANNELS.find((c) => c.topic === entry.contract.topic)?.producer ?? 'tally',
      subject: entry.example.subject,
      occurredAt: '2026-12-02T10:15:00.123Z',
      traceparent,
      data: entry.example.data,
    },
  };
}

function envelopeSchema(entry: CatalogueEntry): JsonSchema {
  return {
    type: 'object',
    required: ['id', 'type', 'version', 'source', 'subject', 'occurredAt', 'data'],
    properties: {
      id: {
        type: 'string',
        format: 'uuid',
        description: 'unique per event (UUIDv7; the ledger derives a UUIDv5 from the journal entry, so a replay repeats it): dedupe on it',
      },
      type: { const: entry.contract.type },
      version: { const: entry.contract.version },
      source: { type: 'string', description: 'the producing service' },
      subject: { type: 'string', description: entry.subject },
      occurredAt: { type: 'string', format: 'date-time' },
      traceparent: { type: 'string', description: 'W3C trace context of the operation that caused it' },
      data: { $ref: `#/components/schemas/${schemaId(entry)}` },
    },
  };
}

/**
 * The AsyncAPI 3 document of every event Tally publishes, from the contracts and EVENT_CATALOGUE:
 * one channel per topic, one message per event type and version, with its key, schema and example.
 * The gateway serves it at /docs/events; `npm run docs` writes docs/events/asyncapi.json.
 */
export function asyncApiDocument(): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const entry of EVENT_CATALOGUE) {
    const example = exampleEnvelope(entry);
    messages[messageId(entry)] = {
      name: entry.contract.type,
      title: `${entry.contract.type} v${entry.contract.version}`,
      summary: entry.summary,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: {
          traceparent: { type: 'string', description: 'W3C trace context (also in the payload)' },
          'event-id': { type: 'string', description: 'the envelope id' },
        },
      },
      payload: envelopeSchema(entry),
      bindings: { kafka: { key: { type: 'string', description: entry.key }, bindingVersion: '0.5.0' } },
      examples: [{ name: `${messageId(entry)}_example`, headers: example.headers, payload: example.payload }],
    };
    schemas[schemaId(entry)] = shapeSchema(entry.contract.shape);
  }
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    const topic = channel.sameAs ?? channel.topic;
    const entries = EVENT_CATALOGUE.filter((e) => e.contract.topic === topic && !(channel.sameAs && e.contract.type === 'goal.milestone'));
    channels[channel.id] = {
      address: channel.topic,
      title: channel.topic,
      description: `${channel.description} Written by ${channel.producer}. A message a consumer cannot handle after its retries goes to ${deadLetterTopic(channel.topic)} with the error.`,
      messages: Object.fromEntries(entries.map((e) => [messageId(e), { $ref: `#/components/messages/${messageId(e)}` }])),
    };
    operations[`receive_${channel.id}`] = {
      action: 'receive',
      title: `Subscribe to ${channel.topic}`,
      channel: { $ref: `#/channels/${channel.id}` },
      messages: entries.map((e) => ({ $ref: `#/channels/${channel.id}/messages/${messageId(e)}` })),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Tally events',
      version: '1',
      description:
        'Events Tally publishes on Kafka for internal subscribers, a public, versioned interface like the REST API. Every message is a JSON envelope `{id, type, version, source, subject, occurredAt, traceparent, data}`; subscribers dedupe on `id` (delivery is at least once) and check `type` and `version`. Within a version changes are additive only; a new version is published beside the old one (docs/events.md).',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages, schemas },
  };
}
