import { randomUUID } from 'node:crypto';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client for the gateway's public API, as an app would call it. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
    /** Sent as X-API-Key (a partner's or service's key) when there is no token. */
    readonly apiKey?: string,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  withApiKey(apiKey: string): ApiClient {
    return new ApiClient(this.baseUrl, undefined, apiKey);
  }

  get<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }

  /** POSTs with a fresh Idempotency-Key unless one is given. */
  post<T = any>(path: string, body: unknown, idempotencyKey: string | null = randomUUID()): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {});
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const send = () =>
      fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
          ...(this.apiKey && !this.token ? { 'X-API-Key': this.apiKey } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    let res: Response;
    try {
      res = await send();
    } catch (err) {
      // A pooled keep-alive socket closed under the request, before any answer (seen on the first
      // request of a tier on a loaded machine): HTTP clients retry that once, as this does; a GET
      // or a keyed POST is safe to repeat, and any other failure is thrown as it is.
      if (!connectionLost(err) || (method !== 'GET' && !headers['Idempotency-Key'])) throw err;
      res = await send();
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }
}

function connectionLost(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } })?.cause;
  return err instanceof TypeError && (cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET');
}
