export * from './secret-hasher';
export * from './secret-box';
export * from './sealed-box';
export * from './token-digest';
export * from './actor-assertion';
