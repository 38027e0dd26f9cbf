import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { HealthRegistry } from '@tally/observability';
import { ensureDatabase, ensureSchema, MIGRATIONS_LOCK, withAdvisoryLock } from './ensure-database';
import { connectsAsSuperuser } from './service-roles';

export interface ServiceDatabaseOptions {
  /** What the service runs as (DATABASE_URL): its own login role, which owns nothing. */
  url: string;
  /** What its migrations run as (MIGRATION_DATABASE_URL): the schema's owner role; `url` when unset. */
  migrationUrl?: string;
  /** Production: refuse to start when `url` connects as a superuser (docs/security.md). */
  refuseSuperuser?: boolean;
  /** The service's own schema: every table it owns lives here. */
  schema: string;
  applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  poolSize?: number;
  /**
   * `run` (the default): migrate at start-up, under the migrations lock. `check`: the migrations
   * were run first (the migrate-only entrypoint, e.g. a Kubernetes Job), so start only when none
   * is pending; the service's own credentials then need no DDL rights.
   */
  migrationsAtStart?: 'run' | 'check';
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
    },
  };
}

/**
 * Creates the database and schema if missing and runs the pending migrations, as the migration
 * role (migrationUrl, else url), holding the migrations advisory lock: replicas and services
 * starting together take turns, and each finds what the one before it did. Returns the names of the migrations it ran.
 */
export async function migrateServiceDatabase(options: ServiceDatabaseOptions): Promise<string[]> {
  const url = options.migrationUrl ?? options.url;
  await ensureDatabase(url);
  return withAdvisoryLock(url, MIGRATIONS_LOCK, async (client) => {
    await ensureSchema(client, options.schema);
    const owner = new DataSource(serviceDataSourceOptions({ ...options, url, poolSize: 1 }));
    await owner.initialize();
    try {
      const ran = await owner.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await owner.destroy();
    }
  });
}

/** Migrates (or, with migrationsAtStart `check`, refuses pending migrations) and connects. */
export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<DataSource> {
  // Before migrating: a superuser's migrations would leave the schema's objects owned by it.
  if (options.refuseSuperuser && (await connectsAsSuperuser(options.url))) {
    throw new Error(
      'DATABASE_URL connects as a Postgres superuser, which NODE_ENV=production refuses: give the service its own login role (tally_<service>) and the migrations MIGRATION_DATABASE_URL (docs/security.md, "Postgres roles")',
    );
  }
  if ((options.migrationsAtStart ?? 'run') === 'run') await migrateServiceDatabase(options);
  const dataSource = new DataSource(serviceDataSourceOptions(options));
  await dataSource.initialize();
  if (options.migrationsAtStart === 'check' && (await dataSource.showMigrations())) {
    await dataSource.destroy();
    throw new Error(
      `the ${options.schema} schema has pending migrations: run the migrate-only entrypoint first (node dist/apps/<service>/src/main.js migrate)`,
    );
  }
  return dataSource;
}

/** Where DatabaseModule.forService keeps its options, so the migrate-only entrypoint finds them in a module tree. */
export const SERVICE_DATABASE_OPTIONS = Symbol('SERVICE_DATABASE_OPTIONS');

/** The database options of every DatabaseModule.forService in a module tree (plain data; nothing is instantiated). */
export function serviceDatabasesIn(module: unknown, seen = new Set<unknown>()): ServiceDatabaseOptions[] {
  if (!module || typeof module !== 'object' || seen.has(module)) return [];
  seen.add(module);
  const dynamic = module as DynamicModule;
  const own = (dynamic.providers ?? []).flatMap((p) =>
    typeof p === 'object' && 'provide' in p && p.provide === SERVICE_DATABASE_OPTIONS && 'useValue' in p ? [p.useValue as ServiceDatabaseOptions] : [],
  );
  return [...own, ...(dynamic.imports ?? []).flatMap((m) => serviceDatabasesIn(m, seen))];
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
      providers: [{ provide: SERVICE_DATABASE_OPTIONS, useValue: options }],
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
