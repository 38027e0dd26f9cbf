import { AsyncLocalStorage } from 'node:async_hooks';

const requestIds = new AsyncLocalStorage<string>();

/** Runs fn (the rest of an HTTP request's handling) with its request id, so every log line can name it. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return requestIds.run(requestId, fn);
}

/** The id of the HTTP request being handled, if any. */
export function currentRequestId(): string | undefined {
  return requestIds.getStore();
}
