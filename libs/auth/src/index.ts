export * from './secret-hasher';
