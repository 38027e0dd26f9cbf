import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaOptions } from '@nestjs/microservices';
import { Partitioners } from 'kafkajs';
import { httpMetricsMiddleware, JsonLogger, setDefaultMetricLabels, stopTracing } from '@tally/observability';
import { kafkaClientConfig, SupervisedServerKafka } from '@tally/messaging';
import { BaseConfig } from './config';
import { requestIdMiddleware, tracingMiddleware } from './request-context';

/** What starting a service needs; the gateway has no database of its own. */
export type RuntimeConfig = Pick<BaseConfig, 'service' | 'port' | 'kafkaBrokers' | 'logLevel'>;

export interface RunServiceOptions {
  config: RuntimeConfig;
  module: Type<unknown> | DynamicModule;
  /** The command topic this service answers (request/reply over Kafka), if any. */
  commandTopic?: string;
  configure?: (app: INestApplication) => void;
}

/** Starts one Tally service: JSON logs, request ids, tracing, metrics, health, commands, clean shutdown. */
export async function runService(options: RunServiceOptions): Promise<INestApplication> {
  const { config } = options;
  const logger = new JsonLogger(config.service, config.logLevel);
  setDefaultMetricLabels(config.service);
  const app = await NestFactory.create(options.module, { logger, bodyParser: true });
  app.use(requestIdMiddleware, tracingMiddleware, httpMetricsMiddleware);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  options.configure?.(app);
  // init first: migrations run and topics exist before the command consumer subscribes.
  await app.init();
  if (options.commandTopic) {
    // Supervised: restarted after any crash, and readiness (the "consumers" check) is 503 meanwhile.
    const server = new SupervisedServerKafka(commandServerOptions(config, options.commandTopic, logger), `${config.service}-commands`, logger);
    app.connectMicroservice({ strategy: server });
    await app.startAllMicroservices();
  }
  await app.listen(config.port, '0.0.0.0');
  logger.log({ msg: 'service started', port: config.port }, 'Bootstrap');
  process.once('beforeExit', () => void stopTracing());
  return app;
}

function commandServerOptions(config: RuntimeConfig, topic: string, logger: JsonLogger): NonNullable<KafkaOptions['options']> {
  return {
    client: kafkaClientConfig({ brokers: config.kafkaBrokers, clientId: `${config.service}-commands` }, logger),
    // A replica killed without a goodbye holds its partitions until its session times out; commands
    // are short (a PIN check is the longest, under a second), so 10 s keeps failover quick.
    consumer: { groupId: `${config.service}-commands`, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 3000 },
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
