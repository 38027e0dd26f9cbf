export * from './config';
export * from './request-context';
export * from './run-service';
export * from './service-infrastructure';
