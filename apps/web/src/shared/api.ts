/**
 * The web apps' only door to Tally: the public REST API (api-v1), same origin, JSON. Errors come
 * back as ApiError with the API's own code and message, which the pages show as they are.
 */
export interface ApiErrorBody {
  error: string;
  message: string;
  details?: Record<string, unknown>;
  requestId?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as Idempotency-Key: required by api-v1 on POSTs that create a resource or move money. */
  idempotencyKey?: string;
  /** Sign-in and refresh go without a bearer token. */
  anonymous?: boolean;
}

/** A fresh Idempotency-Key for one user action (a retry of the same action reuses it). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export class Api {
  private refreshing: Promise<boolean> | null = null;

  constructor(
    private readonly tokens: TokenStore,
    private readonly onSignedOut: () => void,
    private readonly base = '',
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    return this.request<T>('POST', path, { body: body ?? {}, idempotencyKey });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  /** One call; an expired access token is refreshed once (the refresh token rotates) and the call repeated. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const first = await this.send(method, path, options);
    if (first.status === 401 && !options.anonymous && this.tokens.get()) {
      if (await this.refresh()) return this.read<T>(await this.send(method, path, options));
      this.tokens.set(null);
      this.onSignedOut();
    }
    return this.read<T>(first);
  }

  private send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    const tokens = this.tokens.get();
    if (tokens && !options.anonymous) headers.Authorization = `Bearer ${tokens.accessToken}`;
    return fetch(`${this.base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    }).catch((err: Error) => {
      throw new ApiError(0, 'NETWORK_ERROR', `Tally could not be reached (${err.message}). Check your connection and try again.`);
    });
  }

  private async read<T>(res: Response): Promise<T> {
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.ok) return body as T;
    const error = (body ?? {}) as Partial<ApiErrorBody>;
    throw new ApiError(
      res.status,
      error.error ?? `HTTP_${res.status}`,
      error.message ?? `The server answered ${res.status} ${res.statusText}`.trim(),
      error.details ?? {},
      error.requestId ?? res.headers.get('x-request-id') ?? undefined,
    );
  }

  /** Two calls that both find the token expired share one refresh (a second use of the refresh token would revoke the session). */
  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const tokens = this.tokens.get();
      if (!tokens) return false;
      const res = await this.send('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken }, anonymous: true });
      if (!res.ok) return false;
      const next = (await res.json()) as Tokens;
      this.tokens.set({ accessToken: next.accessToken, refreshToken: next.refreshToken });
      return true;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }
}

/** Tokens in the tab's sessionStorage: gone when the tab closes, never shared with another app's key. */
export function sessionTokenStore(key: string): TokenStore {
  return {
    get() {
      const raw = sessionStorage.getItem(key);
      if (!raw) return null;
      try {
        return JSON.parse(raw) as Tokens;
      } catch {
        return null;
      }
    },
    set(tokens) {
      if (tokens) sessionStorage.setItem(key, JSON.stringify(tokens));
      else sessionStorage.removeItem(key);
    },
  };
}

/** A query string from the fields that have a value. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
