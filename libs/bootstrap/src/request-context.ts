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

/**
 * Answers every request with its traceparent. The HTTP instrumentation (startTracing) makes the
 * server span, continuing an incoming traceparent; without it (an app built without tracing, as in
 * some tests) this starts one itself.
 */
export function tracingMiddleware(req: Request, res: Response, next: NextFunction): void {
  const existing = trace.getSpan(context.active());
  if (existing) {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    if (carrier.traceparent) res.setHeader('traceparent', carrier.traceparent);
    next();
    return;
  }
  const parent = propagation.extract(context.active(), req.headers);
  const span = trace
    .getTracer('tally')
    .startSpan(
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
