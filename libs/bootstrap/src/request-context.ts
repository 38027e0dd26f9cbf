import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { context, propagation, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { runWithRequestId } from '@tally/observability';

const REQUEST_ID = /^[\w-]{8,64}$/;

/** Gives every request an id (kept from X-Request-Id when well formed) echoed in the response and in every log line. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  (req as Request & { id: string }).id = id;
  res.setHeader('X-Request-Id', id);
  runWithRequestId(id, next);
}

/** Starts a server span per request (continuing an incoming traceparent) and returns its traceparent. */
export function tracingMiddleware(req: Request, res: Response, next: NextFunction): void {
  const parent = propagation.extract(context.active(), req.headers);
  const span = trace.getTracer('tally').startSpan(
    `${req.method} ${req.path.replace(/[0-9a-f-]{36}/gi, ':id')}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } },
    parent,
  );
  const active = trace.setSpan(parent, span);
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  if (carrier.traceparent) res.setHeader('traceparent', carrier.traceparent);
  res.on('finish', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(active, next);
}
