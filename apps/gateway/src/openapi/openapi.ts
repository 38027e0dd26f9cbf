import { applyDecorators, INestApplication, RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiQuery, ApiResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, SchemaObject, SecurityRequirementObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { API_KEY_SCOPE, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { targetConstructorToSchema, validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { OPERATION_DOCS } from './operation-docs';
import { VIEW_SCHEMAS } from './view-schemas';

/** Optional query parameters of a route whose query DTO swagger cannot read (the DTO still validates them). */
export const ApiQueries = (...names: string[]) => applyDecorators(...names.map((name) => ApiQuery({ name, required: false })));

/** A route's successful answer: `@ApiAnswer(201, 'Wallet')`; the name is one of VIEW_SCHEMAS. */
export function ApiAnswer(status: number, schema?: keyof typeof VIEW_SCHEMAS & string, description?: string): MethodDecorator {
  return ApiResponse({
    status,
    description: description ?? (schema ? schema : 'No content'),
    ...(schema ? { schema: { $ref: `#/components/schemas/${schema}` } } : {}),
  });
}

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'VALIDATION_FAILED or INVALID_AMOUNT',
  '401': 'UNAUTHENTICATED: no valid bearer token',
  '403': 'FORBIDDEN: the route needs another role',
  '404': "NOT_FOUND: no such resource, or someone else's",
  '409': 'IDEMPOTENCY_KEY_REUSED: this key came with another request',
  '413': 'PAYLOAD_TOO_LARGE: the JSON body is over BODY_LIMIT_KB',
  '422': 'A business rule refused it (INSUFFICIENT_FUNDS, LIMIT_EXCEEDED, INVALID_PIN, WALLET_NOT_ACTIVE, ...)',
  '429': 'RATE_LIMITED: see the Retry-After header',
  '503': 'SERVICE_UNAVAILABLE: a service did not answer in time; retry (with the same Idempotency-Key)',
};

/**
 * The OpenAPI document, generated from the controllers: routes and parameters by @nestjs/swagger,
 * request bodies from the DTOs' class-validator rules (class-validator-jsonschema), answers from
 * @ApiAnswer, and the api-v1 error body on every operation for the statuses it can answer.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tally API')
    .setVersion('v1')
    .setDescription(
      'Wallets, payments and a double-entry ledger. Money is a decimal string in major units with the ' +
        "currency's exact minor digits. Errors: `{error, message, details, timestamp, path, requestId}` (ApiError).",
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /v1/auth/login' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A scoped key for partners and services' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = ((document.components ??= {}).schemas ??= {});
  Object.assign(schemas, VIEW_SCHEMAS);
  // Request DTOs: swagger names each @Body() class; its schema comes from the class-validator rules.
  const validation: Parameters<typeof validationMetadatasToSchemas>[0] = {
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: {
      isAmountInput: { oneOf: [{ type: 'string', pattern: '^\\d+(\\.\\d+)?$', example: '100.50' }, { type: 'number' as const }] },
    },
  };
  const fromValidation = validationMetadatasToSchemas(validation) as Record<string, SchemaObject>;
  // A DTO that only extends another (WithdrawalDto extends DebitDto) has no rules of its own: its parent's.
  for (const dto of handlerParameterTypes(app)) {
    if (!fromValidation[dto.name]) {
      const inherited = targetConstructorToSchema(dto, validation) as SchemaObject;
      if (Object.keys(inherited.properties ?? {}).length > 0) fromValidation[dto.name] = inherited;
    }
  }
  for (const name of Object.keys(schemas)) if (fromValidation[name]) schemas[name] = fromValidation[name];
  const security = routeSecurity(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      // The guards decide, not a hand-written @ApiBearerAuth: a route JwtAuthGuard protects says so.
      const required = security.get(`${method.toUpperCase()} ${path}`);
      if (required) operation.security = required;
      else delete operation.security;
      operation.parameters = withoutDuplicateHeaders(operation.parameters);
      addErrorResponses(path, method, operation);
      addSummaryAndExample(path, method, operation);
    }
  }
  return document;
}

/**
 * `METHOD /path` (OpenAPI form) → the security of every route behind JwtAuthGuard, read from the
 * controllers' own metadata: a Bearer access token, or X-API-Key with the scope the route accepts
 * (ApiKeyScopeNeeded). Routes without the guard are public and declare none.
 */
function routeSecurity(app: INestApplication): Map<string, SecurityRequirementObject[]> {
  const found = new Map<string, SecurityRequirementObject[]>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const classGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, controller) ?? [];
      const base: string = Reflect.getMetadata(PATH_METADATA, controller) ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, handler);
        const path: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, handler);
        if (method === undefined || path === undefined) continue;
        const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? [])];
        if (!guards.includes(JwtAuthGuard)) continue;
        const scope: string | undefined = Reflect.getMetadata(API_KEY_SCOPE, handler) ?? Reflect.getMetadata(API_KEY_SCOPE, controller);
        const requirement: SecurityRequirementObject[] = [{ bearer: [] }, ...(scope ? [{ apiKey: [scope] }] : [])];
        for (const one of Array.isArray(path) ? path : [path]) found.set(`${RequestMethod[method]} ${openApiPath(base, one)}`, requirement);
      }
    }
  }
  return found;
}

/** The classes route handlers take as parameters (their DTOs among them). */
function handlerParameterTypes(app: INestApplication): Set<Type> {
  const types = new Set<Type>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const params: unknown[] = Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? [];
        for (const p of params) if (typeof p === 'function' && p.name && p !== Object && p !== String) types.add(p as Type);
      }
    }
  }
  return types;
}

/**
 * One header parameter per name, whatever its case: a route that reads `@Headers('idempotency-key')`
 * and documents `@ApiHeader({ name: 'Idempotency-Key' })` is listed once, with the documented one.
 */
function withoutDuplicateHeaders(parameters: OperationObject['parameters']): OperationObject['parameters'] {
  if (!parameters) return parameters;
  const headers = parameters.filter((p) => 'in' in p && p.in === 'header') as { name: string; description?: string }[];
  const keep = new Map<string, object>();
  for (const h of headers) {
    const key = h.name.toLowerCase();
    const kept = keep.get(key) as { description?: string } | undefined;
    if (!kept || (!kept.description && h.description)) keep.set(key, h);
  }
  return parameters.filter((p) => !('in' in p && p.in === 'header') || keep.get((p as { name: string }).name.toLowerCase()) === p);
}

/** Nest's `v1/wallets` + `:id/pin` → OpenAPI's `/v1/wallets/{id}/pin`. */
function openApiPath(base: string, path: string): string {
  const joined = `/${base}/${path}`.replace(/\/+/g, '/').replace(/\/$/, '') || '/';
  return joined.replace(/:(\w+)/g, '{$1}');
}

/** The operation's summary and examples from OPERATION_DOCS (the SDK and the API reference show them). */
function addSummaryAndExample(path: string, method: string, operation: OperationObject): void {
  const doc = OPERATION_DOCS[`${method.toUpperCase()} ${path}`];
  if (!doc) return;
  operation.summary = doc.summary;
  const body = operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content['application/json'] : undefined;
  if (body && doc.request !== undefined) body.example = doc.request;
  const [, ok] = Object.entries(operation.responses).find(([status]) => status.startsWith('2')) ?? [];
  if (ok && 'description' in ok && doc.response !== undefined && doc.response !== null) {
    const type = typeof doc.response === 'string' ? 'text/plain' : 'application/json';
    ok.content ??= { [type]: {} };
    const media = ok.content[type] ?? Object.values(ok.content)[0];
    media.example = doc.response;
  }
  for (const parameter of operation.parameters ?? []) {
    if ('name' in parameter && doc.parameters?.[parameter.name] !== undefined) parameter.example = doc.parameters[parameter.name];
  }
}

function addErrorResponses(path: string, method: string, operation: OperationObject): void {
  const statuses = new Set(['429', '503']);
  const hasBody = method === 'post' || method === 'put' || method === 'patch';
  if (hasBody || (operation.parameters ?? []).some((p) => 'in' in p && p.in === 'query')) statuses.add('400');
  if (hasBody) statuses.add('413');
  if (operation.security?.length) statuses.add('401');
  if (path.startsWith('/v1/admin/')) statuses.add('403');
  if (path.includes('{')) statuses.add('404');
  if ((operation.parameters ?? []).some((p) => 'name' in p && p.name === 'Idempotency-Key')) statuses.add('409');
  if (hasBody && path.startsWith('/v1/') && !path.startsWith('/v1/auth/')) statuses.add('422');
  for (const status of statuses) {
    operation.responses[status] ??= {
      description: ERROR_RESPONSES[status],
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
    };
  }
}

/** Swagger UI at /docs, the JSON document at /docs-json. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
