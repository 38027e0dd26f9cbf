import { randomUUID } from 'node:crypto';

export class DemoApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * The demo's client of the public API, as any app would call it: JSON, a bearer token, an
 * Idempotency-Key on every POST (a retry after a lost answer repeats nothing). A 503 or 429 is
 * waited out and tried again with the same key; any other refusal is thrown with the API's message.
 */
export class DemoApi {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  as(token: string): DemoApi {
    return new DemoApi(this.baseUrl, token);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown, idempotencyKey: string = randomUUID()): Promise<T> {
    return this.request<T>('POST', path, body, { 'Idempotency-Key': idempotencyKey });
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            Accept: 'application/json',
            'User-Agent': 'tally-demo',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (err) {
        if (attempt >= 5) throw new DemoApiError(0, 'NETWORK_ERROR', `${method} ${path}: ${(err as Error).message} (is the stack running at ${this.baseUrl}?)`);
        await sleep(1000 * attempt);
        continue;
      }
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : undefined;
      if (res.ok) return parsed as T;
      if ((res.status === 503 || res.status === 429) && attempt < 8) {
        await sleep(Number(res.headers.get('retry-after') ?? 0) * 1000 || 500 * 2 ** attempt);
        continue;
      }
      throw new DemoApiError(res.status, parsed?.error ?? `HTTP_${res.status}`, `${method} ${path}: ${parsed?.message ?? res.statusText}`, parsed?.details);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `fn` over `items`, `concurrency` at a time (the stack's CPU is shared: a few is enough). */
export async function eachLimited<T>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}
