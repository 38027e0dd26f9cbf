import { Global, Logger, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Partitioners } from 'kafkajs';
import { busTopicsOf } from '@tally/contracts';
import { createKafka, ensureTopics, kafkaClientConfig, KafkaProbe, SupervisedClientKafka } from '@tally/messaging';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { CommandClient, KAFKA_CLIENT, KAFKA_PROBE } from './command-client';

@Global()
@Module({
  providers: [
    {
      provide: KAFKA_CLIENT,
      inject: [GATEWAY_CONFIG],
      useFactory: async (config: GatewayConfig) => {
        const logger = new Logger('Kafka');
        const connection = { brokers: config.kafkaBrokers, clientId: 'gateway', sasl: config.kafkaSasl };
        // Topics must exist before the reply consumer joins its group: the gateway's own (busAccess).
        await ensureTopics(createKafka(connection, logger), busTopicsOf('gateway'), { replication: config.kafkaReplication });
        // Each replica reads every reply partition with a group of its own and keeps the replies to
        // its own requests (by correlation id): any number of replicas, and one that starts or stops
        // never stalls the others' replies with a rebalance. It starts at the newest reply: only its
        // own requests, all sent after it joined, concern it.
        const groupId = `gateway-replies-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
        // Supervised: the reply consumer is restarted after any crash and readiness is 503 meanwhile.
        return new SupervisedClientKafka(
          {
            client: kafkaClientConfig(connection, logger),
            consumer: { groupId, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 3000 },
            producer: { allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner },
            subscribe: { fromBeginning: false },
            postfixId: '',
          },
          'gateway-replies',
          logger,
        );
      },
    },
    {
      provide: KAFKA_PROBE,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => new KafkaProbe({ brokers: config.kafkaBrokers, clientId: 'gateway', sasl: config.kafkaSasl }, new Logger('Kafka')),
    },
    CommandClient,
  ],
  exports: [CommandClient],
})
export class CommandsModule {}
