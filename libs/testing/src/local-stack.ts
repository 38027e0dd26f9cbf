import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from './local-kafka';

export const SERVICES = ['identity', 'ledger', 'fraud', 'analytics', 'notification', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  gateway: 8080,
  identity: 8081,
  ledger: 8082,
  fraud: 8083,
  analytics: 8084,
  notification: 8085,
};

export interface StackOptions {
  databaseUrl: string;
  kafkaBrokers: string;
  ports?: Partial<Record<ServiceName, number>>;
  env?: NodeJS.ProcessEnv;
  /** Where each service's output goes (a line at a time); by default it is dropped. */
  onLine?: (service: ServiceName, line: string) => void;
}

export interface RunningService {
  name: ServiceName;
  port: number;
  process: ChildProcess;
}

/** Starts the six services from dist/ (build first) and waits until every one reports ready. */
export class LocalStack {
  readonly services = new Map<ServiceName, RunningService>();
  private control: Server | undefined;

  constructor(private readonly options: StackOptions) {}

  port(name: ServiceName): number {
    return this.options.ports?.[name] ?? DEFAULT_PORTS[name];
  }

  url(name: ServiceName): string {
    return `http://127.0.0.1:${this.port(name)}`;
  }

  async start(timeoutMs = 90_000): Promise<void> {
    // Identity and ledger first: they create most topics and the database, so the rest join a ready broker.
    for (const name of SERVICES) this.startService(name);
    await Promise.all(SERVICES.map((name) => this.waitReady(name, timeoutMs)));
  }

  startService(name: ServiceName): RunningService {
    const entry = join(REPO_ROOT, 'dist', 'apps', name, 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
    const child = spawn(process.execPath, [entry], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...this.options.env,
        PORT: String(this.port(name)),
        DATABASE_URL: this.options.databaseUrl,
        KAFKA_BROKERS: this.options.kafkaBrokers,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a terminal's Ctrl-C reaches only the launcher, which then stops the
      // services in order (gateway first) instead of all at once.
      detached: true,
    });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.options.onLine?.(name, line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    const running = { name, port: this.port(name), process: child };
    this.services.set(name, running);
    return running;
  }

  async waitReady(name: ServiceName, timeoutMs = 90_000): Promise<void> {
    const service = this.services.get(name);
    await waitFor(
      async () => {
        if (service && service.process.exitCode !== null) {
          throw new Error(`${name} exited with code ${service.process.exitCode} before it was ready`);
        }
        return (await ready(this.url(name))) ? true : undefined;
      },
      { timeoutMs, intervalMs: 250, what: `${name} to be ready` },
    );
  }

  /** SIGTERM (clean shutdown) or SIGKILL; resolves when the process has exited. */
  async stopService(name: ServiceName, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<number | null> {
    const service = this.services.get(name);
    if (!service || service.process.exitCode !== null || service.process.signalCode !== null) return service?.process.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => service.process.once('exit', (code) => resolve(code)));
    service.process.kill(signal);
    const timer = setTimeout(() => service.process.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  /**
   * Lets a test kill -9 and restart one service of a stack it does not own: Jest runs specs in a
   * sandbox apart from the global setup that launched the stack, so they ask over HTTP on
   * 127.0.0.1:port (see StackControl). The stack keeps owning the restarted process; stop() ends it.
   */
  async serveControl(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const match = /^\/services\/([a-z]+)\/(kill|start)$/.exec(req.url ?? '');
      const name = match?.[1] as ServiceName | undefined;
      if (req.method !== 'POST' || !match || !name || !SERVICES.includes(name)) {
        res.writeHead(404).end();
        return;
      }
      const action = match[2] === 'kill' ? this.killService(name) : this.restartService(name);
      action.then(
        (pid) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service: name, pid })),
        (err: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message })),
      );
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    server.unref();
    this.control = server;
  }

  /** SIGKILL: no shutdown hooks run, in-flight work is simply cut off. Resolves with the pid once it has exited. */
  async killService(name: ServiceName): Promise<number | undefined> {
    const pid = this.services.get(name)?.process.pid;
    await this.stopService(name, 'SIGKILL');
    return pid;
  }

  /** Starts a service that is not running (again) and waits until it reports ready. */
  async restartService(name: ServiceName, timeoutMs = 90_000): Promise<number | undefined> {
    const current = this.services.get(name)?.process;
    if (current && current.exitCode === null && current.signalCode === null) throw new Error(`${name} is still running`);
    const started = this.startService(name);
    await this.waitReady(name, timeoutMs);
    return started.process.pid;
  }

  async stop(): Promise<void> {
    this.control?.close();
    this.control = undefined;
    // The gateway first, so no new commands arrive while the others drain.
    await this.stopService('gateway');
    await Promise.all(SERVICES.filter((s) => s !== 'gateway').map((s) => this.stopService(s)));
  }
}

/** The client side of LocalStack.serveControl. */
export class StackControl {
  constructor(readonly baseUrl: string) {}

  /** kill -9 of the service; resolves with its pid once it has exited. */
  kill(name: ServiceName): Promise<number> {
    return this.call(name, 'kill');
  }

  /** Starts the (killed) service again; resolves with the new pid once it reports ready. */
  start(name: ServiceName): Promise<number> {
    return this.call(name, 'start');
  }

  private async call(name: ServiceName, action: 'kill' | 'start'): Promise<number> {
    const res = await fetch(`${this.baseUrl}/services/${name}/${action}`, { method: 'POST', signal: AbortSignal.timeout(120_000) });
    const body = (await res.json().catch(() => ({}))) as { pid?: number; error?: string };
    if (res.status !== 200) throw new Error(`stack control: ${action} ${name} answered ${res.status}${body.error ? `: ${body.error}` : ''}`);
    return body.pid ?? -1;
  }
}

export async function ready(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(3000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Polls until fn returns a value other than undefined, or fails with what it was waiting for. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (err) {
      if ((err as Error).message.includes('exited with code')) throw err;
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${options.what ?? 'a condition'}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}

/** Drops and recreates a database, so a test run starts from nothing. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
