export * from './tracing';
export * from './json-logger';
export * from './metrics';
export * from './store-gauges';
export * from './health';
export * from './observability.module';
export * from './request-id';
export * from './pii';
