import { context, propagation, trace, Context, Span, SpanKind, SpanStatusCode, TextMapPropagator, TextMapSetter, TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import type { IncomingMessage } from 'node:http';

let sdk: NodeSDK | undefined;

/** Probes and scrapes: a span per kubelet probe or Prometheus scrape would drown the traces that matter. */
const UNTRACED_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/**
 * The W3C propagator, except that it never overwrites a `traceparent` the carrier already has. An
 * outbox row carries the trace of the state change that wrote it, and the relay publishes it later,
 * in batches, outside that trace: the kafkajs instrumentation would otherwise replace the row's
 * traceparent with that of its own producer span, and the consumer would join the relay's trace
 * instead of the payment's.
 */
export class KeepIncomingTraceparent implements TextMapPropagator {
  private readonly w3c = new W3CTraceContextPropagator();

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    if (carrier && typeof carrier === 'object' && (carrier as Record<string, unknown>).traceparent !== undefined) return;
    this.w3c.inject(ctx, carrier, setter);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.w3c.extract(ctx, carrier, getter);
  }

  fields(): string[] {
    return this.w3c.fields();
  }
}

/**
 * Starts OpenTelemetry before Nest or any instrumented module loads (main.ts imports this first):
 * spans for incoming and outgoing HTTP, Express routes, Postgres queries, Kafka sends and receives
 * and Redis commands, beside Tally's own spans (commands, events). Database and Redis spans are
 * made only inside a trace (a request, a command, an event), never for background polling.
 * Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise they are
 * still created, so trace context is propagated through HTTP and Kafka and appears in logs.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (sdk) return;
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  // The instrumentations patch pg, kafkajs, ioredis and express as they are first required, so this
  // runs before Nest loads any of them (nothing this library imports loads them).
  sdk = new NodeSDK({
    serviceName,
    textMapPropagator: new KeepIncomingTraceparent(),
    // Without any processor the SDK registers no tracer provider and no trace context would exist.
    spanProcessors: [exporting ? new tracing.BatchSpanProcessor(new OTLPTraceExporter(), batchOptions(env)) : new tracing.NoopSpanProcessor()],
    // Traces only: metrics are Prometheus' (/metrics) and logs go to stdout. Left unset, the SDK would
    // start OTLP metric and log exporters that post to localhost:4318 every minute.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.test(req.url ?? '') }),
      // Middleware layers (helmet, body parsing, request ids) add a span each and say nothing about a payment.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      // Statement text only (parameters may be PINs' hashes or personal data); never outside a trace.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new KafkaJsInstrumentation(),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
}

/** OTEL_BSP_SCHEDULE_DELAY (the spec's variable; this SDK line takes it only as an option): how often queued spans are sent. */
function batchOptions(env: NodeJS.ProcessEnv): { scheduledDelayMillis?: number } {
  const delay = Number(env.OTEL_BSP_SCHEDULE_DELAY);
  return Number.isInteger(delay) && delay > 0 ? { scheduledDelayMillis: delay } : {};
}

/**
 * Flushes the spans still queued and stops the SDK; called last in the shutdown sequence
 * (runService). Bounded, so an unreachable collector never holds up a rolling update.
 */
export async function stopTracing(timeoutMs = 3000): Promise<void> {
  const running = sdk;
  sdk = undefined;
  if (!running) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    running.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}

/** The W3C traceparent of the active span, to put in outbox rows and Kafka headers. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

export function currentTraceId(): string | undefined {
  const span = trace.getSpan(context.active());
  const id = span?.spanContext().traceId;
  return id && id !== '00000000000000000000000000000000' ? id : undefined;
}

export function contextFromTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return context.active();
  return propagation.extract(context.active(), { traceparent });
}

/** Runs fn in the trace a W3C traceparent names (a Kafka message's header), so what it sends continues that trace. */
export function withTraceparent<T>(traceparent: string | undefined, fn: () => T): T {
  return traceparent ? context.with(contextFromTraceparent(traceparent), fn) : fn();
}

/** Runs fn inside a new span (child of parent, or of the active context), ending it on completion. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context | undefined,
  attributes: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer('tally');
  return tracer.startActiveSpan(name, { kind, attributes }, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
