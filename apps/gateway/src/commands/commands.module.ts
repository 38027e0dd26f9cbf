import { Global, Logger, Module } from '@nestjs/common';
import { Partitioners } from 'kafkajs';
import { allTopics } from '@tally/contracts';
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
        const connection = { brokers: config.kafkaBrokers, clientId: 'gateway' };
        // Topics must exist before the reply consumer joins its group.
        await ensureTopics(createKafka(connection, logger), allTopics());
        // Supervised: the reply consumer is restarted after any crash and readiness is 503 meanwhile.
        return new SupervisedClientKafka(
          {
            client: kafkaClientConfig(connection, logger),
            consumer: { groupId: 'gateway-replies', allowAutoTopicCreation: false, sessionTimeout: 30000 },
            producer: { allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner },
            // A reply partition without a committed offset would otherwise start at "latest" when it is
            // (re)assigned, skipping replies written during a rebalance. Old replies match no pending
            // request and are ignored.
            subscribe: { fromBeginning: true },
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
      useFactory: (config: GatewayConfig) => new KafkaProbe({ brokers: config.kafkaBrokers, clientId: 'gateway' }, new Logger('Kafka')),
    },
    CommandClient,
  ],
  exports: [CommandClient],
})
export class CommandsModule {}
