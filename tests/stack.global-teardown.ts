import type { LocalStack } from '@tally/testing';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __tallyStack?: LocalStack }).__tallyStack?.stop();
}
