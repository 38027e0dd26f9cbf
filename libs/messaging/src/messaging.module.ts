import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { allTopics } from '@tally/contracts';
import { HealthRegistry } from '@tally/observability';
import { consumerHealth } from './consumer-supervisor';
import { EventConsumer, Subscription } from './event-consumer';
import { createProducer, ensureTopics, KafkaConnection, kafkaClientConfig } from './kafka-client';
import { KafkaProbe } from './kafka-probe';
import { OutboxRelay } from './outbox-relay';

export interface MessagingOptions {
  service: string;
  schema: string;
  brokers: string[];
}

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/**
 * A service's Kafka side: the producer, the outbox relay, its event consumers, and the Kafka
 * readiness check. Shutdown order: stop consuming (finish in-flight), flush the outbox, disconnect.
 */
@Injectable()
export class Messaging implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly relay: OutboxRelay;
  private readonly logger = new Logger('Messaging');
  private readonly probe: KafkaProbe;
  private readonly consumers: EventConsumer[] = [];

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly dataSource: DataSource,
    private readonly health: HealthRegistry,
  ) {
    const connection: KafkaConnection = { brokers: options.brokers, clientId: options.service };
    this.kafka = new Kafka(kafkaClientConfig(connection, this.logger));
    this.producer = createProducer(this.kafka);
    this.relay = new OutboxRelay(dataSource, options.schema, this.producer, this.logger);
    this.probe = new KafkaProbe(connection, this.logger);
  }

  async onModuleInit(): Promise<void> {
    await ensureTopics(this.kafka, allTopics());
    await this.producer.connect();
    this.health.register('kafka', () => this.probe.check());
    // Event consumers and the command consumer of this process: 503 while one is crashed.
    this.health.register('consumers', () => consumerHealth.check());
  }

  /** Registers an idempotent consumer; it starts once the application has bootstrapped. */
  consume(name: string, subscriptions: Subscription[]): void {
    this.consumers.push(
      new EventConsumer({
        kafka: this.kafka,
        groupId: `${this.options.service}.${name}`,
        dataSource: this.dataSource,
        schema: this.options.schema,
        producer: this.producer,
        logger: this.logger,
        subscriptions,
        afterCommit: () => this.relay.nudge(),
      }),
    );
  }

  /** Wakes the relay after a commit that wrote events. */
  published(): void {
    this.relay.nudge();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.relay.start();
    await Promise.all(this.consumers.map((c) => c.start()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.probe.close();
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, Messaging],
      exports: [Messaging],
    };
  }
}
