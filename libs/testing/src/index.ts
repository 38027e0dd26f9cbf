export * from './local-kafka';
export * from './local-stack';
export * from './api-client';
export * from './ledger-books';
export * from './kafka-topics';
export * from './time-zones';
