import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { HealthRegistry } from '@tally/observability';
import { ensureDatabase, ensureSchema } from './ensure-database';

export interface ServiceDatabaseOptions {
  url: string;
  /** The service's own schema: every table it owns lives here. */
  schema: string;
  applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  poolSize?: number;
  /**
   * A role the running service acts as (SET ROLE at connect). Migrations run as the connecting
   * owner; the service then holds only the privileges its migrations granted this role.
   */
  runtimeRole?: string;
}

/** TypeORM options for one service. Migrations are explicit; `synchronize` is never used. */
export function serviceDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    applicationName: options.applicationName,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Failed queries surface as exceptions; TypeORM's own log would print their parameters (secrets, PII).
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 3000,
      ...(options.runtimeRole ? { options: `-c role=${options.runtimeRole}` } : {}),
    },
  };
}

/** Creates the database and schema if missing, connects and runs pending migrations. */
export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<DataSource> {
  await ensureDatabase(options.url);
  await ensureSchema(options.url, options.schema);
  // Migrations run as the connecting owner, on a short-lived connection of their own.
  const owner = new DataSource(serviceDataSourceOptions({ ...options, runtimeRole: undefined, poolSize: 1 }));
  await owner.initialize();
  try {
    await owner.runMigrations({ transaction: 'each' });
  } finally {
    await owner.destroy();
  }
  const dataSource = new DataSource(serviceDataSourceOptions(options));
  await dataSource.initialize();
  return dataSource;
}

@Module({})
export class DatabaseModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthRegistry,
  ) {}

  static forService(options: ServiceDatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => serviceDataSourceOptions(options),
          dataSourceFactory: async () => openServiceDatabase(options),
        }),
      ],
    };
  }

  onModuleInit(): void {
    this.health.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }
}
