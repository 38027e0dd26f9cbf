export * from './kafka-client';
export * from './messaging-tables';
export * from './outbox';
export * from './outbox-relay';
export * from './event-consumer';
export * from './command-router';
export { Messaging, MessagingModule } from './messaging.module';
export type { MessagingOptions } from './messaging.module';
export * from './kafka-probe';
