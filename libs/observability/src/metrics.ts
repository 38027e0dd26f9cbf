import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { NextFunction, Request, Response } from 'express';

/** One Prometheus registry per process, with Node's default metrics. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export function setDefaultMetricLabels(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
}

export const httpRequests = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const messagesHandled = new Counter({
  name: 'kafka_messages_handled_total',
  help: 'Kafka messages handled by topic, type and outcome (handled, duplicate, retried, dead_lettered)',
  labelNames: ['topic', 'type', 'outcome'],
  registers: [metricsRegistry],
});

export const outboxPublished = new Counter({
  name: 'outbox_messages_published_total',
  help: 'Outbox rows published to Kafka by topic',
  labelNames: ['topic'],
  registers: [metricsRegistry],
});

export const outboxFailures = new Counter({
  name: 'outbox_publish_failures_total',
  help: 'Outbox publish attempts that failed',
  registers: [metricsRegistry],
});

let metricsOnApiPort = true;

/**
 * Whether the service's own HTTP port answers /metrics (METRICS_PORT=main); false when they are
 * served on a port of their own (serveMetricsOn) or turned off, and then /metrics there is a 404.
 */
export function metricsOnMainPort(on: boolean): void {
  metricsOnApiPort = on;
}

@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    if (!metricsOnApiPort) throw new NotFoundException();
    return metricsRegistry.metrics();
  }
}

/** /metrics on a listener of its own (METRICS_PORT): reachable by Prometheus, never through the API's ingress. */
export async function serveMetricsOn(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '0.0.0.0', () => resolve()));
  return server;
}

/** Express middleware timing every request; mounted once per app in bootstrap. */
export function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
  const end = httpRequests.startTimer();
  res.on('finish', () => {
    // The matched route pattern keeps label cardinality low (no ids in labels).
    const route = (req.route?.path as string | undefined) ?? 'unmatched';
    end({ method: req.method, route: req.baseUrl + route, status: String(res.statusCode) });
  });
  next();
}
