import { Controller, Get, Header } from '@nestjs/common';
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

@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
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
