import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { ensureDatabase, provisionServiceRoles, roleUrl, serviceRoles } from '@tally/database';
import type { KafkaCredentials } from './bus-provisioning';
import { localKafkaSasl, provisionLocalBus, REPO_ROOT } from './local-kafka';

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

/**
 * One running copy of a service: `ledger` is the first, `ledger-2` the second replica, and so on.
 * Replicas share the service's database and Kafka consumer groups, as Kubernetes replicas do.
 */
export type InstanceName = ServiceName | `${ServiceName}-${number}`;

/** Replica n of a service listens on the service's port + (n - 1) × this, unless `ports` names it. */
export const REPLICA_PORT_STEP = 20;

export function serviceOf(instance: InstanceName): ServiceName {
  return instance.replace(/-\d+$/, '') as ServiceName;
}

function replicaOf(instance: InstanceName): number {
  return Number(/-(\d+)$/.exec(instance)?.[1] ?? 1);
}

export function instanceName(service: ServiceName, replica: number): InstanceName {
  return replica === 1 ? service : `${service}-${replica}`;
}

export interface StackOptions {
  /**
   * A superuser's (or CREATEROLE admin's) connection to the stack's database. start() creates the
   * services' roles and schemas there (provisionServiceRoles); each service then runs as its own
   * login role and migrates as its schema's owner, as in production (docs/security.md).
   */
  databaseUrl: string;
  kafkaBrokers: string;
  /** Ports of the first instance of each service (and of any instance named like `gateway-3`). */
  ports?: Partial<Record<InstanceName, number>>;
  /** How many instances of each service start() runs (default one each). */
  replicas?: Partial<Record<ServiceName, number>>;
  env?: NodeJS.ProcessEnv;
  /**
   * Each service's Kafka principal (KAFKA_USERNAME, KAFKA_PASSWORD), and the admin that grants them
   * their ACLs before the services start: the local broker's (deploy/local) unless given.
   */
  kafkaSasl?: (principal: ServiceName | 'admin') => KafkaCredentials;
  /** Where each service's output goes (a line at a time); by default it is dropped. */
  onLine?: (service: ServiceName, line: string, instance: InstanceName) => void;
}

export interface RunningService {
  name: InstanceName;
  service: ServiceName;
  port: number;
  process: ChildProcess;
}

/** How a SIGTERM went: the exit code and how long the instance took to drain and exit. */
export interface Drain {
  instance: InstanceName;
  pid: number | undefined;
  code: number | null;
  drainMs: number;
}

/** Starts the six services from dist/ (build first), one or more instances each, and waits until every one reports ready. */
export class LocalStack {
  readonly services = new Map<InstanceName, RunningService>();
  private control: Server | undefined;

  constructor(private readonly options: StackOptions) {}

  private kafkaSasl(principal: ServiceName | 'admin'): KafkaCredentials {
    return this.options.kafkaSasl?.(principal) ?? localKafkaSasl(principal, { ...process.env, ...this.options.env });
  }

  port(name: InstanceName): number {
    const named = this.options.ports?.[name];
    if (named !== undefined) return named;
    const service = serviceOf(name);
    return (this.options.ports?.[service] ?? DEFAULT_PORTS[service]) + (replicaOf(name) - 1) * REPLICA_PORT_STEP;
  }

  url(name: InstanceName): string {
    return `http://127.0.0.1:${this.port(name)}`;
  }

  /** Every instance start() runs, in start order. */
  instances(): InstanceName[] {
    return SERVICES.flatMap((service) => Array.from({ length: this.options.replicas?.[service] ?? 1 }, (_, i) => instanceName(service, i + 1)));
  }

  async start(timeoutMs = 90_000): Promise<void> {
    await ensureDatabase(this.options.databaseUrl);
    await provisionServiceRoles(this.options.databaseUrl);
    // The broker refuses every principal anything until its ACLs exist.
    await provisionLocalBus(this.options.kafkaBrokers.split(',')[0], this.kafkaSasl('admin'));
    // Identity and ledger first: they create most topics and the database, so the rest join a ready broker.
    const instances = this.instances();
    for (const name of instances) this.startService(name);
    try {
      await Promise.all(instances.map((name) => this.waitReady(name, timeoutMs)));
    } catch (err) {
      // One service that cannot start must not leave the others running (and holding their ports).
      await this.stop();
      throw err;
    }
  }

  startService(name: InstanceName): RunningService {
    const service = serviceOf(name);
    const entry = join(REPO_ROOT, 'dist', 'apps', service, 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
    const child = spawn(process.execPath, [entry], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...this.options.env,
        PORT: String(this.port(name)),
        ...serviceDatabaseEnv(service, this.options.databaseUrl),
        KAFKA_BROKERS: this.options.kafkaBrokers,
        // Each service as its own principal, with only its ACLs (busAccess).
        KAFKA_SASL_MECHANISM: this.kafkaSasl(service).mechanism,
        KAFKA_USERNAME: this.kafkaSasl(service).username,
        KAFKA_PASSWORD: this.kafkaSasl(service).password,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a terminal's Ctrl-C reaches only the launcher, which then stops the
      // services in order (gateway first) instead of all at once.
      detached: true,
    });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.options.onLine?.(service, line, name);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    const running = { name, service, port: this.port(name), process: child };
    this.services.set(name, running);
    return running;
  }

  async waitReady(name: InstanceName, timeoutMs = 90_000): Promise<void> {
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
  async stopService(name: InstanceName, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<number | null> {
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
   * What a rolling update does to one pod: SIGTERM, then the time until the process has drained
   * (consumers stopped, relays flushed, HTTP closed, spans sent) and exited. SIGKILL after timeoutMs,
   * as Kubernetes does after terminationGracePeriodSeconds.
   */
  async drainService(name: InstanceName, timeoutMs = 30_000): Promise<Drain> {
    const pid = this.services.get(name)?.process.pid;
    const started = Date.now();
    const code = await this.stopService(name, 'SIGTERM', timeoutMs);
    return { instance: name, pid, code, drainMs: Date.now() - started };
  }

  /** Peak and current resident memory of every running instance, in MiB (Linux /proc). */
  memory(): Record<string, { rssMiB: number; peakMiB: number }> {
    const out: Record<string, { rssMiB: number; peakMiB: number }> = {};
    for (const [name, running] of this.services) {
      if (running.process.exitCode !== null || running.process.signalCode !== null || !running.process.pid) continue;
      try {
        const status = readFileSync(`/proc/${running.process.pid}/status`, 'utf8');
        const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
        out[name] = { rssMiB: Math.round(kib('VmRSS') / 1024), peakMiB: Math.round(kib('VmHWM') / 1024) };
      } catch {
        // not Linux, or the process just exited
      }
    }
    return out;
  }

  /** CPU time (user + system) each running instance has used so far, in seconds (Linux /proc; clock ticks of 1/100 s). */
  cpuSeconds(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, running] of this.services) {
      if (running.process.exitCode !== null || running.process.signalCode !== null || !running.process.pid) continue;
      try {
        // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th.
        const fields = readFileSync(`/proc/${running.process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        out[name] = (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        // not Linux, or the process just exited
      }
    }
    return out;
  }

  /**
   * Lets a test kill -9 and restart one service of a stack it does not own: Jest runs specs in a
   * sandbox apart from the global setup that launched the stack, so they ask over HTTP on
   * 127.0.0.1:port (see StackControl). The stack keeps owning the restarted process; stop() ends it.
   */
  async serveControl(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const match = /^\/services\/([a-z]+(?:-\d+)?)\/(kill|start|stop)$/.exec(req.url ?? '');
      const name = match?.[1] as InstanceName | undefined;
      if (req.method !== 'POST' || !match || !name || !SERVICES.includes(serviceOf(name))) {
        res.writeHead(404).end();
        return;
      }
      const actions = {
        kill: () => this.killService(name).then((pid) => ({ pid })),
        start: () => this.restartService(name).then((pid) => ({ pid })),
        stop: () => this.drainService(name),
      };
      actions[match[2] as keyof typeof actions]().then(
        (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service: name, ...result })),
        (err: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message })),
      );
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    server.unref();
    this.control = server;
  }

  /** SIGKILL: no shutdown hooks run, in-flight work is simply cut off. Resolves with the pid once it has exited. */
  async killService(name: InstanceName): Promise<number | undefined> {
    const pid = this.services.get(name)?.process.pid;
    await this.stopService(name, 'SIGKILL');
    return pid;
  }

  /** Starts a service that is not running (again) and waits until it reports ready. */
  async restartService(name: InstanceName, timeoutMs = 90_000): Promise<number | undefined> {
    const current = this.services.get(name)?.process;
    if (current && current.exitCode === null && current.signalCode === null) throw new Error(`${name} is still running`);
    const started = this.startService(name);
    await this.waitReady(name, timeoutMs);
    return started.process.pid;
  }

  async stop(): Promise<void> {
    this.control?.close();
    this.control = undefined;
    // The gateways first, so no new commands arrive while the others drain.
    const running = [...this.services.keys()];
    await Promise.all(running.filter((s) => serviceOf(s) === 'gateway').map((s) => this.stopService(s)));
    await Promise.all(running.filter((s) => serviceOf(s) !== 'gateway').map((s) => this.stopService(s)));
  }
}

/** A service's two connections: its login role to run as, its schema's owner to migrate as. */
export function serviceDatabaseEnv(service: ServiceName, databaseUrl: string): { DATABASE_URL: string; MIGRATION_DATABASE_URL: string } {
  const roles = serviceRoles(service);
  return { DATABASE_URL: roleUrl(databaseUrl, roles.login), MIGRATION_DATABASE_URL: roleUrl(databaseUrl, roles.owner) };
}

/** The client side of LocalStack.serveControl. */
export class StackControl {
  constructor(readonly baseUrl: string) {}

  /** kill -9 of the service; resolves with its pid once it has exited. */
  async kill(name: InstanceName): Promise<number> {
    return (await this.call(name, 'kill')).pid ?? -1;
  }

  /** Starts the (killed or stopped) service again; resolves with the new pid once it reports ready. */
  async start(name: InstanceName): Promise<number> {
    return (await this.call(name, 'start')).pid ?? -1;
  }

  /** SIGTERM, as a rolling update sends; resolves once it has drained and exited. */
  async stop(name: InstanceName): Promise<Drain> {
    const body = await this.call(name, 'stop');
    return { instance: name, pid: body.pid, code: body.code ?? null, drainMs: body.drainMs ?? -1 };
  }

  private async call(name: InstanceName, action: 'kill' | 'start' | 'stop'): Promise<{ pid?: number; code?: number | null; drainMs?: number }> {
    const res = await fetch(`${this.baseUrl}/services/${name}/${action}`, { method: 'POST', signal: AbortSignal.timeout(120_000) });
    const body = (await res.json().catch(() => ({}))) as { pid?: number; code?: number | null; drainMs?: number; error?: string };
    if (res.status !== 200) throw new Error(`stack control: ${action} ${name} answered ${res.status}${body.error ? `: ${body.error}` : ''}`);
    return body;
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
export async function waitFor<T>(fn: () => Promise<T | undefined>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
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
