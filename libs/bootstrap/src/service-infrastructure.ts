import { DynamicModule, Type } from '@nestjs/common';
import { MixedList } from 'typeorm';
import { DatabaseModule } from '@tally/database';
import { MessagingMetricsModule, MessagingModule } from '@tally/messaging';
import { ObservabilityModule } from '@tally/observability';
import { BaseConfig } from './config';

export interface ServiceInfrastructureOptions {
  config: BaseConfig;
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  poolSize?: number;
}

/** What every service that owns data imports: health and metrics, its own schema, and Kafka. */
export function serviceInfrastructure(options: ServiceInfrastructureOptions): (Type<unknown> | DynamicModule)[] {
  const { config, schema } = options;
  return [
    ObservabilityModule,
    DatabaseModule.forService({
      url: config.databaseUrl,
      migrationUrl: config.migrationDatabaseUrl,
      refuseSuperuser: config.production,
      schema,
      applicationName: `tally-${config.service}`,
      migrations: options.migrations,
      poolSize: options.poolSize,
      migrationsAtStart: config.migrationsAtStart,
    }),
    MessagingModule.forService({
      service: config.service,
      schema,
      brokers: config.kafkaBrokers,
      sasl: config.kafkaSasl,
      replication: config.kafkaReplication,
    }),
    // Outbox backlog and consumer lag on /metrics.
    MessagingMetricsModule.forService({ service: config.service, schema }),
  ];
}
