import Ajv from 'ajv';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const asyncApiSpecs = require('@asyncapi/specs') as { schemas: Record<string, object> };
import * as contracts from '../index';
import { asyncApiDocument, exampleEnvelope } from './asyncapi';
import { EventContract, eventProblems } from './event-contract';
import { EVENT_CATALOGUE } from './event-catalogue';

const isContract = (value: unknown): value is EventContract<unknown> =>
  typeof value === 'object' && value !== null && 'type' in value && 'version' in value && 'topic' in value && 'shape' in value;

describe('the event catalogue and its AsyncAPI document', () => {
  const document = asyncApiDocument() as {
    components: { messages: Record<string, { payload: object; examples: { payload: object }[] }>; schemas: Record<string, object> };
  };

  it('lists every event contract of libs/contracts once, by type and version', () => {
    const exported: EventContract<unknown>[] = (Object.values(contracts) as unknown[]).filter(isContract);
    expect(exported.length).toBeGreaterThanOrEqual(14);
    const key = (c: EventContract<unknown>) => `${c.type}@${c.version}`;
    expect(EVENT_CATALOGUE.map((e) => key(e.contract)).sort()).toEqual([...new Set(exported.map(key))].sort());
  });

  it.each(EVENT_CATALOGUE.map((e) => [`${e.contract.type} v${e.contract.version}`, e] as const))(
    '%s: the example is a valid event of its contract',
    (_name, entry) => {
      expect(eventProblems(entry.contract, exampleEnvelope(entry).payload)).toEqual([]);
    },
  );

  it('is a valid AsyncAPI 3.0.0 document', () => {
    // The bundled schema carries the draft-07 meta-schema itself: ajv's own copy would clash with it.
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, meta: false, validateSchema: false });
    const validate = ajv.compile(asyncApiSpecs.schemas['3.0.0']);
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The check bites: AsyncAPI 2's `publish` is no operation action in 3.0.
    expect(validate({ ...document, operations: { receive_ledgerEvents: { action: 'publish', channel: { $ref: '#/channels/ledgerEvents' } } } })).toBe(false);
  });

  it("every message's example fits the message's payload schema, and a broken one does not", () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    for (const [name, schema] of Object.entries(document.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
    for (const [name, message] of Object.entries(document.components.messages)) {
      const payloadSchema = JSON.parse(JSON.stringify(message.payload).replace(/"#\/components\/schemas\/([^"]+)"/g, '"#/components/schemas/$1"'));
      const validate = ajv.compile(payloadSchema);
      expect({ name, valid: validate(message.examples[0].payload), errors: validate.errors ?? [] }).toEqual({ name, valid: true, errors: [] });
      const broken = { ...message.examples[0].payload, data: {} };
      expect({ name, valid: validate(broken) }).toEqual({ name, valid: false });
    }
  });
});
