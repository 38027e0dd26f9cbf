export * from './currency';
export * from './amount';
export * from './fee';
export * from './fx';
