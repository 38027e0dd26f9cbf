export * from './ensure-database';
export * from './database.module';
export * from './returning-rows';
export * from './service-roles';
