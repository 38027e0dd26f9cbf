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
import { BusService, busTopicsOf } from '@tally/contracts';
import { HealthRegistry } from '@tally/observability';
import { consumerHealth } from './consumer-supervisor';
import { EventConsumer, Subscription } from './event-consumer';
import { createProducer, ensureTopics, KafkaConnection, kafkaClientConfig, KafkaSasl, TopicReplication } from './kafka-client';
import { KafkaProbe } from './kafka-probe';
import { OutboxRelay } from './outbox-relay';
import { measureOutbox } from './outbox-metrics';

export interface MessagingOptions {
  service: string;
  schema: string;
  brokers: string[];
  /** The service's own principal (KAFKA_USERNAME, KAFKA_PASSWORD). */
  sasl?: KafkaSasl;
  replication?: TopicReplication;
  /** The topics to create when missing; default: the service's own (busTopicsOf), the only ones its principal may create. */
  topics?: string[];
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
    const connection: KafkaConnection = { brokers: options.brokers, clientId: options.service, sasl: options.sasl };
    this.kafka = new Kafka(kafkaClientConfig(connection, this.logger));
    this.producer = createProducer(this.kafka);
    this.relay = new OutboxRelay(dataSource, options.schema, this.producer, this.logger);
    this.probe = new KafkaProbe(connection, this.logger);
  }

  async onModuleInit(): Promise<void> {
    // Its own topics only: the ones its principal may describe and create (busAccess).
    const topics = this.options.topics ?? busTopicsOf(this.options.service as BusService);
    await ensureTopics(this.kafka, topics, { replication: this.options.replication });
    await this.producer.connect();
    this.health.register('kafka', () => this.probe.check());
    // Event consumers and the command consumer of this process: 503 while one is crashed.
    this.health.register('consumers', () => consumerHealth.check());
    measureOutbox(this.dataSource, this.options.schema);
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
        afterCommit: () => this.relay.announce(),
      }),
    );
  }

  /** Wakes the publishing relay (this replica's or another's) after a commit that wrote events. */
  published(): void {
    this.relay.announce();
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
