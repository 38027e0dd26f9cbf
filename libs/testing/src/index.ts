export * from './local-kafka';
export * from './local-stack';
export * from './api-client';
