import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { Actor, COMMAND_TOPICS, CommandMessage, CommandReply, DomainError, Topic } from '@tally/contracts';
import { currentRequestId, currentTraceparent, HealthRegistry } from '@tally/observability';
import { consumerHealth, KafkaProbe } from '@tally/messaging';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_PROBE = Symbol('KAFKA_PROBE');

export interface SendOptions {
  actor?: Actor;
  idempotencyKey?: string;
  /** Partition key: commands about one aggregate stay in order. */
  key?: string;
}

/** Request/reply to the services over Kafka. A reply that does not come in time is a 503. */
@Injectable()
export class CommandClient implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_CLIENT) private readonly client: ClientKafka,
    @Inject(KAFKA_PROBE) private readonly probe: KafkaProbe,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const topic of COMMAND_TOPICS) this.client.subscribeToResponseOf(topic);
    await this.client.connect();
    this.health.register('kafka', () => this.probe.check());
    this.health.register('consumers', () => consumerHealth.check());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
    await this.probe.close();
  }

  async send<T>(topic: Topic, type: string, payload: unknown, options: SendOptions = {}): Promise<T> {
    const message: CommandMessage = { type, payload, actor: options.actor, idempotencyKey: options.idempotencyKey };
    const traceparent = currentTraceparent();
    const requestId = currentRequestId();
    let reply: CommandReply<T>;
    try {
      reply = await firstValueFrom(
        this.client
          .send<CommandReply<T>>(topic, {
            key: options.key ?? options.actor?.userId ?? null,
            value: message,
            headers: { ...(traceparent ? { traceparent } : {}), ...(requestId ? { 'x-request-id': requestId } : {}) },
          })
          .pipe(timeout(this.config.commandTimeoutMs)),
      );
    } catch (err) {
      if (err instanceof TimeoutError) {
        throw new DomainError('SERVICE_UNAVAILABLE', 'The service did not answer in time; retry with the same Idempotency-Key');
      }
      throw new DomainError('SERVICE_UNAVAILABLE', 'The service could not be reached; retry with the same Idempotency-Key');
    }
    if (!reply.ok) throw new DomainError(reply.error.code, reply.error.message, reply.error.details);
    return reply.data;
  }
}
