import type { LoggerService } from '@nestjs/common';
import type { Consumer, ConsumerConfig, ConsumerCrashEvent, ConsumerRunConfig, Kafka } from 'kafkajs';

/**
 * Which of this process's Kafka consumers are down (crashed and not yet back in their group).
 * One per process, like the metrics registry: the event consumers, the command server and the
 * gateway's reply consumer all report here, and readiness answers 503 while any of them is down.
 */
export class ConsumerHealth {
  private readonly down = new Map<string, string>();

  markDown(name: string, error: string): void {
    this.down.set(name, error);
  }

  markUp(name: string): void {
    this.down.delete(name);
  }

  /** A readiness check: rejects while a consumer is down, naming it and its last error. */
  async check(): Promise<void> {
    if (this.down.size === 0) return;
    throw new Error([...this.down].map(([name, error]) => `consumer ${name} is down: ${error}`).join('; '));
  }
}

export const consumerHealth = new ConsumerHealth();

export interface SuperviseOptions {
  logger: LoggerService;
  health?: ConsumerHealth;
  /** First restart delay; doubles on each failed restart up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Keeps a kafkajs consumer alive. kafkajs restarts a crashed consumer only when the error is
 * retriable (and `retry.restartOnFailure` allows it); after a non-retriable error (a coordinator
 * error at the wrong moment, KafkaJSNonRetriableError from a handler) it disconnects and stays
 * down with no further sign. Here every crash is logged and marks the consumer down; when kafkajs
 * will not restart it, it is reconnected and run again with the same configuration, with
 * exponential backoff, until it rejoins its group. An intended disconnect() stops the supervision.
 */
export function superviseConsumer(consumer: Consumer, name: string, options: SuperviseOptions): Consumer {
  const { logger } = options;
  const health = options.health ?? consumerHealth;
  const initialDelayMs = options.initialDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30000;
  let runConfig: ConsumerRunConfig | undefined;
  let stopped = false;
  let failedRestarts = 0;
  let timer: NodeJS.Timeout | undefined;

  const run = consumer.run.bind(consumer);
  consumer.run = (config?: ConsumerRunConfig) => {
    runConfig = config;
    stopped = false;
    return run(config);
  };
  const disconnect = consumer.disconnect.bind(consumer);
  consumer.disconnect = () => {
    stopped = true;
    clearTimeout(timer);
    health.markUp(name);
    return disconnect();
  };

  const scheduleRestart = () => {
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** failedRestarts);
    failedRestarts++;
    timer = setTimeout(() => void restart(), delayMs);
    return delayMs;
  };
  const restart = async () => {
    if (stopped) return;
    try {
      // kafkajs disconnected it when it crashed; the subscriptions are kept, so connect + run resumes it.
      await consumer.connect();
      await run(runConfig);
      logger.log({ msg: 'kafka consumer restarted', consumer: name }, 'ConsumerSupervisor');
    } catch (err) {
      const retryInMs = scheduleRestart();
      logger.error({ msg: 'kafka consumer restart failed', consumer: name, error: (err as Error).message, retryInMs }, 'ConsumerSupervisor');
    }
  };

  consumer.on(consumer.events.CRASH, ({ payload }: ConsumerCrashEvent) => {
    if (stopped) return;
    const error = `${payload.error.name}: ${payload.error.message}`;
    health.markDown(name, error);
    // restart=true: kafkajs restarts it itself; otherwise it stays disconnected unless restarted here.
    const retryInMs = payload.restart ? undefined : scheduleRestart();
    logger.error(
      { msg: 'kafka consumer crashed', consumer: name, groupId: payload.groupId, error, restartedBy: payload.restart ? 'kafkajs' : 'supervisor', retryInMs },
      'ConsumerSupervisor',
    );
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    failedRestarts = 0;
    health.markUp(name);
  });
  return consumer;
}

/** Makes every consumer this client creates supervised (for clients built by @nestjs/microservices). */
export function superviseConsumers(kafka: Kafka, name: string, options: SuperviseOptions): Kafka {
  const create = kafka.consumer.bind(kafka);
  kafka.consumer = (config: ConsumerConfig) => superviseConsumer(create(config), name, options);
  return kafka;
}
