import fc from 'fast-check';

/**
 * Requests generated from the served OpenAPI document (the fuzz tier, tests/e2e/openapi-fuzz.e2e-spec.ts):
 * one arbitrary per operation and caller, built from the operation's parameters and request-body
 * schema, mixed with hostile variants (wrong types, huge and fractional numbers, long strings,
 * lone surrogates, NUL and RTL marks, deep nesting, missing and extra fields, malformed and other
 * users' ids, unknown query parameters, oversized URLs and headers).
 */

// An OpenAPI schema or document is open-ended JSON.
export type Schema = Record<string, any>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `METHOD /template`, as the summary and failures name it. */
  key: string;
  method: string;
  template: string;
  parameters: Parameter[];
  body?: Schema;
  /** The security schemes it accepts; empty for a public route. */
  schemes: string[];
  apiKeyScopes: string[];
  admin: boolean;
}

/** What a caller's valid requests draw from: its own ids and secrets, and some of other users'. */
export interface FuzzContext {
  /** Ids that go where an id goes (path, query, body): the caller's own, then others' (refused, never answered). */
  ids: string[];
  /** The caller's own ids among them, drawn more often so that valid requests succeed. */
  ownIds: string[];
  walletNumbers: string[];
  pins: string[];
  emails: string[];
  currencies: string[];
  /** Values for a path parameter by name (e.g. fraud rule codes) where it is not an id. */
  pathValues: Record<string, string[]>;
}

export interface FuzzRequest {
  op: string;
  variant: string;
  method: string;
  /** Path and query string, already encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 20; i++) s = doc.components?.schemas?.[String(s.$ref).replace('#/components/schemas/', '')] ?? {};
  return s;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const seen = new Set<string>();
      const parameters: Parameter[] = [];
      const declared = [...((item.parameters as Schema[] | undefined) ?? []), ...((op.parameters as Schema[] | undefined) ?? [])];
      for (const p of declared.map((x) => resolve(doc, x))) {
        const id = `${p.in}:${String(p.name).toLowerCase()}`;
        if (seen.has(id)) continue;
        seen.add(id);
        parameters.push({ name: p.name, in: p.in, required: Boolean(p.required), schema: resolve(doc, p.schema) });
      }
      const security: Schema[] = (op.security as Schema[] | undefined) ?? [];
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        key: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        parameters,
        body: body ? resolve(doc, body) : undefined,
        schemes: security.flatMap((s) => Object.keys(s)),
        apiKeyScopes: security.flatMap((s) => (s.apiKey as string[] | undefined) ?? []),
        admin: template.startsWith('/v1/admin/'),
      });
    }
  }
  return ops;
}

/** A JSON number written as it is (1e400, 9007199254740993), which JSON.stringify cannot produce. */
class RawNumber {
  constructor(readonly text: string) {}
}

const RAW = '\u0001raw:';
export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof RawNumber ? `${RAW}${v.text}` : v));
  return text.replace(new RegExp(`"${RAW}([^"]*)"`, 'g'), '$1');
}

const AMOUNT_PATTERN = '^\\d+(\\.\\d+)?$';
/** A valid amount: whole cents, written with two decimals (no float arithmetic). */
const amount = fc.integer({ min: 1, max: 2_500 }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
const isoDate = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

export const HOSTILE_STRINGS = [
  '\ud800',
  'lone \udfff surrogate',
  'nul\u0000byte',
  '\u202eRTL override\u202c',
  '\u200f\u05e9\u05dc\u05d5\u05dd',
  '\ufeffBOM',
  'e\u0301\u0301\u0301\u0301 combining',
  '😀👩‍👩‍👧‍👦',
  '𝕋𝕒𝕝𝕝𝕪',
  '\u0000',
  '',
  ' ',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'NaN',
  '\r\nX-Injected: 1',
];

export const HOSTILE_NUMBERS: unknown[] = [
  new RawNumber('1e400'),
  new RawNumber('-1e400'),
  new RawNumber('9007199254740993'),
  new RawNumber('123456789012345678901234567890.123456789'),
  new RawNumber('1e-400'),
  new RawNumber('-0'),
  1e308,
  -1,
  0,
  0.1,
  1.005,
  -0.01,
  2 ** 31,
  2 ** 53,
  '1e308',
  '99999999999999999999999999999999.99',
  '-1.00',
  '0',
  '0.00',
  '0.001',
  '1.005',
  '1,000.00',
  ' 1.00',
  '1.00 ',
  '+1',
  '.5',
  '5.',
  '1e2',
  '0x10',
  'NaN',
  'Infinity',
  '-Infinity',
  '١٢٣',
];

const HOSTILE_QUERY_VALUES = [
  '1e308',
  '99999999999999999999999',
  '-1',
  '1.5',
  '1000001',
  '2147483648',
  '9223372036854775808',
  '1e400',
  '-99999999999999999999.99',
  '123456789012345678901234567890.5',
  '2024-13-45',
  '9999-12-31T23:59:59Z',
  '0000-01-01',
  '+275760-09-13T00:00:00.000Z',
  '2024-02-30T25:61:61Z',
  'yesterday',
  '',
  '%00',
  '%ED%A0%80',
  '%FF%FE',
  '%E2%80%AE',
  'a'.repeat(5000),
];

const MALFORMED_IDS = [
  'not-a-uuid',
  '0',
  '-1',
  '1e400',
  'null',
  'undefined',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0192E4A0-7B1C-7DEF-8ABC-0123456789AB',
  '0192e4a0-7b1c-7def-8abc-0123456789ab0',
  '0192e4a07b1c7def8abc0123456789ab',
  '{0192e4a0-7b1c-7def-8abc-0123456789ab}',
  '%2e%2e',
  '..%2fadmin',
  '%00',
  '%ED%A0%80',
  '%F0%9F%98%80',
  "'; SELECT 1; --",
  'a'.repeat(3000),
];

const wrongTypes = fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 'x', '', [], [1, 'a'], {}, { a: { b: 1 } }, [[[]]]);

/** A value nested `depth` levels deep (objects or arrays); past 64 the gateway stops reading. */
function nested(depth: number, arrays: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
}
const deep = fc.tuple(fc.constantFrom(5, 30, 63, 64, 65, 100, 500), fc.boolean()).map(([d, a]) => nested(d, a));
const longString = fc.constantFrom(256, 1_000, 10_000, 90_000, 300_000).chain((n) => fc.constantFrom('a', 'é', '😀', '\u0000').map((c) => c.repeat(n)));
const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

/** Valid values for a schema, resolving $ref; names steer ids, amounts, pins and wallet numbers to the context's. */
export function valueFor(doc: OpenApiDocument, raw: Schema | undefined, ctx: FuzzContext, name = '', depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, raw);
  if (depth > 4) return fc.constant({});
  if (s.oneOf || s.anyOf) {
    const options: Schema[] = s.oneOf ?? s.anyOf;
    if (options.some((o) => o.pattern === AMOUNT_PATTERN)) return amount;
    return fc.oneof(...options.map((o) => valueFor(doc, o, ctx, name, depth + 1)));
  }
  if (s.allOf) return valueFor(doc, { type: 'object', ...mergeAll(doc, s.allOf) }, ctx, name, depth + 1);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  const type = s.type ?? guessType(name);
  switch (type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100 });
    case 'array': {
      const items = valueFor(doc, s.items, ctx, name, depth + 1);
      return fc.array(items, { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
    }
    case 'object': {
      const props: Record<string, Schema> = s.properties ?? {};
      if (Object.keys(props).length === 0) return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = valueFor(doc, v, ctx, k, depth + 1);
      return fc.record(model, { requiredKeys: (s.required as string[] | undefined) ?? [] });
    }
    default:
      return stringFor(s, ctx, name);
  }
}

function mergeAll(doc: OpenApiDocument, parts: Schema[]): Schema {
  const out: Schema = { properties: {}, required: [] };
  for (const p of parts.map((x) => resolve(doc, x))) {
    Object.assign(out.properties, p.properties ?? {});
    out.required.push(...(p.required ?? []));
  }
  return out;
}

/** Query parameters documented without a schema: their type from their name. */
function guessType(name: string): string {
  if (/^(limit|offset)$/.test(name)) return 'integer';
  if (name === 'unread') return 'boolean';
  return 'string';
}

function stringFor(s: Schema, ctx: FuzzContext, name: string): fc.Arbitrary<unknown> {
  const pick = (values: string[], fallback: fc.Arbitrary<string>) =>
    values.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, fallback) : fallback;
  if (s.format === 'uuid' || /Id$|^id$|^transactionId$/.test(name)) {
    return ctx.ownIds.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ctx.ownIds) }, pick(ctx.ids, fc.uuid())) : pick(ctx.ids, fc.uuid());
  }
  if (name === 'timeZone') return fc.constantFrom('UTC', 'Asia/Kuala_Lumpur', 'America/New_York', 'Europe/Berlin');
  if (name === 'category') return fc.oneof(fc.constantFrom('food_beverage', 'shopping', 'groceries', 'transport'), fc.stringMatching(/^[a-z][a-z0-9_]{1,20}$/));
  if (name === 'events') return fc.constantFrom('transaction.completed', 'transaction.failed', 'wallet.limit_reached', 'budget.threshold_reached');
  if (s.format === 'email' || name === 'email') return pick(ctx.emails, fc.emailAddress());
  if (s.format === 'date-time' || /^(from|to|asOf|expiresAt)$/.test(name)) return isoDate;
  if (s.format === 'date' || name === 'deadline') return isoDate.map((d) => d.slice(0, 10));
  if (/amount$|Amount$|Limit$/.test(name) || s.pattern === AMOUNT_PATTERN) return amount;
  if (name === 'sortOrder') return fc.constantFrom('asc', 'desc');
  if (name === 'sortBy') return fc.constantFrom('createdAt', 'amount');
  if (name === 'groupBy') return fc.constantFrom('category', 'day', 'week', 'month');
  if (name === 'type') return fc.constantFrom('deposit', 'withdrawal', 'transfer_out', 'transfer_in', 'purchase', 'refund');
  if (name === 'status') return fc.constantFrom('pending', 'completed', 'failed', 'open', 'queued');
  if (name === 'currency' || name === 'base' || name === 'quote') return pick(ctx.currencies, fc.stringMatching(/^[A-Z]{3}$/));
  if (/pin$|Pin$/.test(name)) return pick(ctx.pins, fc.stringMatching(/^\d{4,6}$/));
  if (name === 'toWalletNumber') return pick(ctx.walletNumbers, fc.stringMatching(/^WA\d{12}$/));
  if (name === 'url') return fc.oneof(fc.webUrl(), fc.constant('https://127.0.0.1:9/hook'));
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
  const max = Math.min(s.maxLength ?? 40, 40);
  return fc.string({ minLength: Math.min(s.minLength ?? 0, max), maxLength: max });
}

interface Draft {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
  /** A body sent as this text, not as JSON of `body`. */
  rawBody?: string;
  /** Query text appended as it is (already encoded, possibly broken). */
  rawQuery?: string;
  variant: string;
}

/** Percent-encodes by UTF-16 code unit: a lone surrogate goes out as the bytes UTF-8 would give it (invalid), not a throw. */
export function encodeUnits(value: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff)
      out += `%${(0xe0 | (cp >> 12)).toString(16)}%${(0x80 | ((cp >> 6) & 0x3f)).toString(16)}%${(0x80 | (cp & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(ch);
  }
  return out;
}

function render(op: Operation, d: Draft): FuzzRequest {
  const url =
    op.template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const v = d.path[name] ?? '';
      // A hostile id given already encoded stays as written.
      return /%[0-9A-Fa-f]{2}/.test(v) ? v : encodeUnits(v);
    }) + queryString(d);
  const headers = { ...d.headers };
  let body: string | undefined;
  if (d.rawBody !== undefined) body = d.rawBody;
  else if (d.body !== undefined) body = toJson(d.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  return { op: op.key, variant: d.variant, method: op.method, url, headers, body };
}

function queryString(d: Draft): string {
  const parts = Object.entries(d.query).map(([k, v]) => `${encodeUnits(k)}=${/%[0-9A-Fa-f]{2}/.test(v) ? v : encodeUnits(v)}`);
  if (d.rawQuery) parts.push(d.rawQuery);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Valid parameters and body for an operation. */
function draftFor(doc: OpenApiDocument, op: Operation, ctx: FuzzContext): fc.Arbitrary<Draft> {
  const pathArbs: Record<string, fc.Arbitrary<string>> = {};
  const queryArbs: Record<string, fc.Arbitrary<string>> = {};
  const headerArbs: Record<string, fc.Arbitrary<string>> = {};
  const requiredQuery: string[] = [];
  for (const p of op.parameters) {
    if (p.in === 'path') {
      const known = ctx.pathValues[p.name];
      pathArbs[p.name] =
        known && known.length > 0 ? fc.constantFrom(...known) : (stringFor(p.schema, ctx, p.name === 'id' ? 'id' : p.name) as fc.Arbitrary<string>);
    } else if (p.in === 'query') {
      queryArbs[p.name] = valueFor(doc, p.schema, ctx, p.name).map(String);
      if (p.required) requiredQuery.push(p.name);
    } else if (p.name.toLowerCase() === 'idempotency-key') {
      headerArbs['Idempotency-Key'] = fc.uuid();
    }
  }
  return fc
    .record({
      path: fc.record(pathArbs),
      query: fc.record(queryArbs, { requiredKeys: requiredQuery }),
      headers: fc.record(headerArbs),
      body: op.body ? valueFor(doc, op.body, ctx) : fc.constant(undefined),
    })
    .map((d) => ({ ...d, variant: 'valid' }) as Draft);
}

/** The hostile variants that apply to an operation, each from a valid draft. */
function mutations(doc: OpenApiDocument, op: Operation, ctx: FuzzContext, base: Draft): fc.Arbitrary<Draft>[] {
  const out: fc.Arbitrary<Draft>[] = [];
  const bodyProps = Object.keys(op.body?.properties ?? {});
  const required: string[] = op.body?.required ?? [];
  const isObjectBody = op.body !== undefined && (op.body.type === 'object' || op.body.properties !== undefined);
  const withBody = (variant: string, body: unknown): Draft => ({ ...base, body: body === undefined ? {} : body, variant });
  const setProp = (variant: string, value: fc.Arbitrary<unknown>) =>
    fc
      .tuple(fc.constantFrom(...(bodyProps.length > 0 ? bodyProps : ['value'])), value)
      .map(([k, v]) => withBody(`${variant}:${k}`, { ...asObject(base.body), [k]: v }));
  if (isObjectBody) {
    out.push(setProp('wrong-type', wrongTypes));
    out.push(setProp('number', fc.constantFrom(...HOSTILE_NUMBERS)));
    out.push(setProp('long-string', longString));
    out.push(setProp('unicode', hostileString));
    out.push(setProp('deep', deep));
    // Every free-text field at once (an id or amount stays valid), so hostile text gets past validation to the services.
    const textProps = bodyProps.filter((k) => {
      const p = resolve(doc, op.body?.properties?.[k]);
      return p.type === 'string' && !p.pattern && !p.format && !p.enum;
    });
    if (textProps.length > 0) {
      out.push(
        fc
          .tuple(...textProps.map(() => fc.constantFrom('\ud800', 'a\udc00b', '\u202etxet', 'ß\u0301😀', '\ufeff', 'x'.repeat(64), '\udbff\udfff')))
          .map((values) => withBody('unicode-all', { ...asObject(base.body), ...Object.fromEntries(textProps.map((k, i) => [k, values[i]])) })),
      );
    }
    if (required.length > 0) {
      out.push(
        fc.constantFrom(...required).map((k) => {
          const body = { ...asObject(base.body) };
          delete body[k];
          return withBody(`missing:${k}`, body);
        }),
      );
    }
    out.push(
      fc
        .constantFrom<[string, unknown]>(
          ['isAdmin', true],
          ['roles', ['admin']],
          ['userId', ctx.ids[ctx.ids.length - 1] ?? 'x'],
          ['balance', '1000000.00'],
          ['__proto__', { admin: true }],
          ['constructor', { prototype: { admin: true } }],
          ['status', 'completed'],
          ['fee', '-5.00'],
        )
        .map(([k, v]) => ({
          ...base,
          variant: `extra:${k}`,
          rawBody: toJson({ ...asObject(base.body) })
            .replace(/^\{/, `{${JSON.stringify(k)}:${toJson(v)},`)
            .replace(/,}$/, '}'),
        })),
    );
  }
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    out.push(
      fc
        .constantFrom(
          '[]',
          '[{}]',
          '"text"',
          '123',
          'null',
          'true',
          '{',
          '{"a":',
          '{"a":1,}',
          "{'a':1}",
          '',
          '\u0000',
          '{"a":"\\ud800"}',
          '{"__proto__":{"isAdmin":true}}',
        )
        .map((rawBody) => ({ ...base, variant: `body-shape:${rawBody.slice(0, 12)}`, rawBody })),
    );
    out.push(
      fc
        .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/json; charset=utf-16', '')
        .map((type) => ({ ...base, variant: `content-type:${type}`, headers: { ...base.headers, 'Content-Type': type }, body: base.body ?? {} })),
    );
  }
  const pathNames = Object.keys(base.path);
  if (pathNames.length > 0) {
    out.push(
      fc
        .tuple(
          fc.constantFrom(...pathNames),
          fc.oneof(fc.constantFrom(...MALFORMED_IDS), fc.constantFrom(...(ctx.ids.length > 0 ? ctx.ids : ['x'])), hostileString),
        )
        .map(([k, v]) => ({ ...base, variant: `path-id:${k}`, path: { ...base.path, [k]: v } })),
    );
  }
  const queryNames = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  if (queryNames.length > 0) {
    out.push(
      fc
        .tuple(fc.constantFrom(...queryNames), fc.oneof(fc.constantFrom(...HOSTILE_QUERY_VALUES), hostileString, fc.constantFrom(...ctx.ids, 'x')))
        .map(([k, v]) => ({ ...base, variant: `query:${k}`, query: { ...base.query, [k]: v } })),
    );
    // Repeated and bracketed parameters: the query parser may make arrays or objects of them.
    out.push(fc.constantFrom(...queryNames).map((k) => ({ ...base, variant: `query-shape:${k}`, rawQuery: `${k}=1&${k}=2&${k}[]=3&${k}[a]=4` })));
  }
  out.push(
    fc
      .constantFrom('bogusParam=1', '__proto__=x', 'constructor[prototype]=1', 'a=%ZZ', '%ED%A0%80=1', 'limit=1&limit=2', `x=${'y'.repeat(4000)}`)
      .map((rawQuery) => ({ ...base, variant: `unknown-query:${rawQuery.slice(0, 12)}`, rawQuery })),
  );
  out.push(
    fc
      .constantFrom<[string, Record<string, string>]>(
        ['long-idempotency-key', { 'Idempotency-Key': 'k'.repeat(5000) }],
        ['empty-idempotency-key', { 'Idempotency-Key': '' }],
        ['odd-idempotency-key', { 'Idempotency-Key': '../../\t%00' }],
        ['huge-header', { 'X-Filler': 'h'.repeat(40_000) }],
        ['many-headers', Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`X-F${i}`, 'v'.repeat(200)]))],
        ['request-id', { 'X-Request-Id': 'r'.repeat(2000) }],
        ['long-url', {}],
      )
      .map(([name, headers]) => ({
        ...base,
        variant: `header:${name}`,
        headers: { ...base.headers, ...headers },
        rawQuery: name === 'long-url' ? `q=${'u'.repeat(70_000)}` : base.rawQuery,
      })),
  );
  return out;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}

/** An operation's requests: valid ones about half the time, otherwise one hostile variant of a valid one. */
export function requestArbitrary(doc: OpenApiDocument, op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return draftFor(doc, op, ctx)
    .chain((base) => fc.oneof({ weight: 6, arbitrary: fc.constant(base) }, ...mutations(doc, op, ctx, base).map((arbitrary) => ({ weight: 1, arbitrary }))))
    .map((d) => render(op, d));
}
