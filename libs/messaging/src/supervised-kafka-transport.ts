import type { LoggerService } from '@nestjs/common';
import { ClientKafka, KafkaOptions, ServerKafka } from '@nestjs/microservices';
import type { Kafka } from 'kafkajs';
import { superviseConsumers } from './consumer-supervisor';

type KafkaTransportOptions = NonNullable<KafkaOptions['options']>;

/** The Nest Kafka server (a service's command consumer) with its consumer supervised. */
export class SupervisedServerKafka extends ServerKafka {
  constructor(
    options: KafkaTransportOptions,
    private readonly consumerName: string,
    private readonly supervisorLogger: LoggerService,
  ) {
    super(options);
  }

  override createClient<T = Kafka>(): T {
    return superviseConsumers(super.createClient<Kafka>(), this.consumerName, { logger: this.supervisorLogger }) as T;
  }
}

/** The Nest Kafka client (the gateway's request/reply) with its reply consumer supervised. */
export class SupervisedClientKafka extends ClientKafka {
  constructor(
    options: KafkaTransportOptions,
    private readonly consumerName: string,
    private readonly supervisorLogger: LoggerService,
  ) {
    super(options);
  }

  override createClient<T = Kafka>(): T {
    return superviseConsumers(super.createClient<Kafka>(), this.consumerName, { logger: this.supervisorLogger }) as T;
  }
}
