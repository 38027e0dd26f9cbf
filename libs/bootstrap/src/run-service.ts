import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaOptions } from '@nestjs/microservices';
import { Partitioners } from 'kafkajs';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  HealthRegistry,
  httpMetricsMiddleware,
  JsonLogger,
  metricsOnMainPort,
  serveMetricsOn,
  serviceLogger,
  setDefaultMetricLabels,
  stopTracing,
} from '@tally/observability';
import { ActorAssertionVerifier } from '@tally/auth';
import { kafkaClientConfig, SupervisedServerKafka, verifyCommandsWith } from '@tally/messaging';
import { migrateServiceDatabase, serviceDatabasesIn } from '@tally/database';
import { BaseConfig } from './config';
import { requestIdMiddleware, tracingMiddleware } from './request-context';

/** What starting a service needs; the gateway has no database of its own. */
export type RuntimeConfig = Pick<BaseConfig, 'service' | 'port' | 'kafkaBrokers' | 'logLevel' | 'actorAssertionPublicKeys'> &
  Partial<Pick<BaseConfig, 'kafkaSasl' | 'metricsPort'>>;

export interface RunServiceOptions {
  config: RuntimeConfig;
  module: Type<unknown> | DynamicModule;
  /** The command topic this service answers (request/reply over Kafka), if any. */
  commandTopic?: string;
  /** Commands of one fetched batch handled at once (default 32): a slow command does not hold up the fast ones behind it. */
  commandConcurrency?: number;
  /**
   * Command topics consumed apart, each by a server (consumer group `<service>-<topic>`) with its
   * own concurrency, so slow commands there never take the main server's places.
   */
  isolatedCommandTopics?: { topic: string; concurrency: number }[];
  configure?: (app: INestApplication) => void;
  /** The command line after the script; `migrate` runs the migrations and exits (see migrateOnly). */
  argv?: string[];
}

/** Starts one Tally service: JSON logs, request ids, tracing, metrics, health, commands, clean shutdown. */
export async function runService(options: RunServiceOptions): Promise<INestApplication | undefined> {
  const { config } = options;
  const logger = new JsonLogger(config.service, config.logLevel, serviceLogger(config.service, config.logLevel));
  if ((options.argv ?? process.argv.slice(2))[0] === 'migrate') {
    await migrateOnly(options.module, logger);
    return undefined;
  }
  setDefaultMetricLabels(config.service);
  const metricsPort = config.metricsPort ?? 'main';
  metricsOnMainPort(metricsPort === 'main');
  const app = await NestFactory.create(options.module, { logger, bufferLogs: true, bodyParser: true });
  // nestjs-pino's logger, over the same pino instance, once the container has it (ObservabilityModule).
  app.useLogger(app.get(PinoNestLogger, { strict: false }) ?? logger);
  const drain = drainOnShutdown();
  app.use(drain.middleware, requestIdMiddleware, tracingMiddleware, httpMetricsMiddleware);
  stopOnSignals(app, logger, drain);
  options.configure?.(app);
  // init first: migrations run and topics exist before the command consumer subscribes.
  await app.init();
  if (options.commandTopic) {
    // Every command's actor is checked against the gateway's signature (libs/auth actor-assertion.ts).
    verifyCommandsWith(new ActorAssertionVerifier(config.actorAssertionPublicKeys, config.service));
    // Supervised: restarted after any crash, and readiness (the "consumers" check) is 503 meanwhile.
    const isolated = options.isolatedCommandTopics ?? [];
    const server = new SupervisedServerKafka(commandServerOptions(config, `${config.service}-commands`, logger), `${config.service}-commands`, logger, {
      concurrency: options.commandConcurrency ?? 32,
      ...(isolated.length > 0 ? { topics: [options.commandTopic] } : {}),
    });
    app.connectMicroservice({ strategy: server });
    for (const { topic, concurrency } of isolated) {
      const group = `${config.service}-${topic.replace(/\W+/g, '-')}`;
      app.connectMicroservice({
        strategy: new SupervisedServerKafka(commandServerOptions(config, group, logger), group, logger, { concurrency, topics: [topic] }),
      });
    }
    await app.startAllMicroservices();
  }
  const http = app.getHttpServer() as Server;
  // Keep idle connections longer than the clients and proxies in front do (load balancers idle out at
  // 60 s): a server closing first races a request just sent on that socket ("other side closed").
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  await app.listen(config.port, '0.0.0.0');
  if (typeof metricsPort === 'number') {
    const metrics = await serveMetricsOn(metricsPort);
    http.once('close', () => metrics.close());
  }
  logger.log({ msg: 'service started', port: config.port, metricsPort }, 'Bootstrap');
  return app;
}

/**
 * While a service shuts down: readiness answers 503 (the load balancer stops sending), and every
 * answer closes its connection, so a client on a kept-alive connection reconnects elsewhere instead
 * of feeding the closing server requests it must wait for.
 */
function drainOnShutdown(): { draining: boolean; middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void } {
  const state = {
    draining: false,
    middleware: (_req: IncomingMessage, res: ServerResponse, next: () => void) => {
      if (state.draining) res.setHeader('Connection', 'close');
      next();
    },
  };
  return state;
}

/**
 * SIGTERM (a rolling update, Ctrl-C's SIGINT): stop taking work (readiness 503, idle connections
 * closed), Nest's shutdown hooks in order (modules stop their consumers and relays, HTTP stops
 * accepting), then the spans still queued are flushed, then exit. Nest's own enableShutdownHooks
 * re-raises the signal, which would kill the process before the flush.
 */
function stopOnSignals(app: INestApplication, logger: JsonLogger, drain: { draining: boolean }): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    drain.draining = true;
    app.get(HealthRegistry, { strict: false })?.drain();
    const started = Date.now();
    logger.log({ msg: 'shutting down', signal }, 'Bootstrap');
    (app.getHttpServer() as Server).closeIdleConnections?.();
    let code = 0;
    try {
      await app.close();
    } catch (err) {
      code = 1;
      logger.error({ msg: 'shutdown failed', error: (err as Error).message }, 'Bootstrap');
    }
    await stopTracing();
    logger.log({ msg: 'stopped', signal, durationMs: Date.now() - started }, 'Bootstrap');
    process.exit(code);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(signal));
}

/**
 * The migrate-only entrypoint, `node dist/apps/<service>/src/main.js migrate`: runs the service's
 * pending migrations (under the migrations advisory lock, as the connecting role: give it the
 * migration role's credentials) and returns without starting anything. The Kubernetes migration
 * Job and `npm run migrate` use it; services then start with MIGRATIONS_AT_START=check.
 */
async function migrateOnly(module: RunServiceOptions['module'], logger: JsonLogger): Promise<void> {
  const databases = serviceDatabasesIn(module);
  if (databases.length === 0) throw new Error('this service has no database to migrate');
  for (const database of databases) {
    const started = Date.now();
    const ran = await migrateServiceDatabase({ ...database, applicationName: `${database.applicationName}-migrate` });
    logger.log({ msg: 'migrations done', schema: database.schema, ran, durationMs: Date.now() - started }, 'Migrate');
  }
}

function commandServerOptions(config: RuntimeConfig, group: string, logger: JsonLogger): NonNullable<KafkaOptions['options']> {
  return {
    client: kafkaClientConfig({ brokers: config.kafkaBrokers, clientId: group, sasl: config.kafkaSasl }, logger),
    // A replica killed without a goodbye holds its partitions until its session times out; commands
    // are short (a PIN check is the longest, under a second), so 10 s keeps failover quick.
    consumer: { groupId: group, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 3000 },
    producer: { allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner },
    subscribe: { fromBeginning: false },
    run: { partitionsConsumedConcurrently: 3 },
    postfixId: '',
  };
}

/** For main.ts: report a start-up failure (bad config included) as one JSON line and exit non-zero. */
export function exitOnStartupFailure(service: string) {
  return (err: unknown): never => {
    new JsonLogger(service).fatal({ msg: 'start-up failed', error: (err as Error).message }, 'Bootstrap');
    process.exit(1);
  };
}
