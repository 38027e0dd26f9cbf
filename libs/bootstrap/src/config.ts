import type { LogLevel } from '@nestjs/common';
import { DEV_ACTOR_ASSERTION_PUBLIC_KEY } from '@tally/auth';
import type { KafkaSasl, TopicReplication } from '@tally/messaging';

/** Thrown at start-up for a missing or bad environment variable; the message names it. */
export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * One variable a config loader reads, as docs/configuration.md shows it: the name (or a pattern
 * such as `LEDGER_TX_MIN_<CUR>`), its default as text (undefined: required or unset) and what a
 * valid value looks like. `npm run docs` collects them by running every loader (recordSettings).
 */
export interface SettingRead {
  name: string;
  fallback: string | undefined;
  rule: string;
  secret?: boolean;
}

/** What each variable is for, beside the loader that reads it; `npm run docs:check` fails on one left out. */
export type SettingDocs = Record<string, string>;

let recording: SettingRead[] | undefined;

/**
 * Secret values this repository has published (docker-compose.yml before it took every secret from
 * the environment, the test stack, examples in docs): refused by EnvReader.secret in production
 * like each loader's own dev fallback. Add a value here whenever one is committed anywhere.
 */
export const PUBLISHED_DEV_SECRETS: ReadonlySet<string> = new Set([
  'tally-compose-dev-only-jwt-secret-change-me-0123456789',
  'tally-compose-dev-only-mfa-key-change-me-0123456789',
  'tally-compose-dev-only-webhook-key-change-me-012345',
  'wLoaYT4RnIplmAxGMTlHTMTJ5ocyT78udtJO7jHrqWo',
  'tally-dev-only-jwt-secret-change-me-0123456789',
  'tally-dev-only-mfa-secret-key-0123456789abcdef',
  'tally-dev-only-webhook-secret-key-0123456789',
  'tally-dev-only-idempotency-hmac-key-0123456789',
]);

/** The loader's fallback, a published value, or anything marked dev-only: a value an attacker can read in the repository. */
function isPublishedSecret(value: string, devFallback: string): boolean {
  return value === devFallback || PUBLISHED_DEV_SECRETS.has(value) || /dev[-_ ]?only/i.test(value);
}

/** Runs a config loader against an empty environment and returns every variable it read, in order. */
export function recordSettings(load: () => unknown): SettingRead[] {
  const settings: SettingRead[] = [];
  recording = settings;
  try {
    load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
  } finally {
    recording = undefined;
  }
  return settings;
}

/**
 * Reads and validates environment variables, collecting every problem before failing, so one
 * start-up names every bad variable at once. Each method records what it read (see SettingRead).
 */
export class EnvReader {
  readonly problems: string[] = [];
  private readonly recorded = recording;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  private note(setting: SettingRead): void {
    if (this.recorded && !this.recorded.some((s) => s.name === setting.name)) this.recorded.push(setting);
  }

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  /** NODE_ENV=production makes secrets required and refuses development-only settings. */
  get production(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  string(name: string, fallback?: string, rule = 'text'): string {
    this.note({ name, fallback: fallback || undefined, rule });
    const value = this.raw(name);
    if (value) return value;
    if (fallback !== undefined) return fallback;
    this.problems.push(`${name} is required`);
    return '';
  }

  int(name: string, fallback: number, min: number, max: number): number {
    this.note({ name, fallback: String(fallback), rule: `whole number, ${min} to ${max}` });
    const raw = this.raw(name);
    if (!raw) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    this.note({ name, fallback, rule: `one of ${allowed.map((a) => `\`${a}\``).join(', ')}` });
    const raw = this.raw(name);
    if (!raw) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  /**
   * A secret: required in production, never echoed in messages. In production the repository's
   * own values are refused too (the dev fallback, and any value published in compose or docs,
   * see PUBLISHED_DEV_SECRETS): everyone who read the repository knows them.
   */
  secret(name: string, devFallback: string, minLength: number): string {
    this.note({
      name,
      fallback: undefined,
      rule: `at least ${minLength} characters; required when NODE_ENV=production, and then not a value from the repository (a dev-only value otherwise)`,
      secret: true,
    });
    const value = this.env[name];
    if (!value) {
      if (this.production) this.problems.push(`${name} is required when NODE_ENV=production`);
      return devFallback;
    }
    if (value.length < minLength) this.problems.push(`${name} must be at least ${minLength} characters`);
    if (this.production && isPublishedSecret(value, devFallback)) {
      this.problems.push(`${name} must not be a development value from the repository when NODE_ENV=production; generate one (e.g. openssl rand -base64 48)`);
    }
    return value;
  }

  /**
   * A value with a syntax of its own (an amount, a fee rule, a URL, a list): `parse` returns it or
   * throws an Error saying what is wrong. A bad value is a problem naming the variable, never a
   * silent fallback; unset uses `fallback` (its text shown as the default is `shown`).
   */
  parsed<T>(name: string, fallback: T, rule: string, parse: (text: string) => T, options: { shown?: string; echo?: boolean } = {}): T {
    this.note({ name, fallback: options.shown ?? (typeof fallback === 'string' && fallback ? fallback : undefined), rule });
    const raw = this.raw(name);
    if (!raw) return fallback;
    return this.parse(name, raw, rule, parse, options.echo ?? true) ?? fallback;
  }

  /** Comma-separated values, each checked by `parseItem`; every bad entry is named. */
  list<T>(name: string, fallback: string, rule: string, parseItem: (item: string) => T): T[] {
    this.note({ name, fallback: fallback || undefined, rule });
    const items = (this.raw(name) ?? fallback)
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const values: T[] = [];
    for (const item of items) {
      try {
        values.push(parseItem(item));
      } catch (err) {
        this.problems.push(`${name} entry "${item}" ${(err as Error).message}`);
      }
    }
    return values;
  }

  /**
   * Variables whose names follow a pattern (one per currency, say): every set variable whose name
   * matches, its match and its value parsed like `parsed`. Documented as `placeholder`.
   */
  matching<T>(
    pattern: RegExp,
    placeholder: string,
    rule: string,
    parse: (text: string, match: RegExpExecArray) => T,
  ): { name: string; match: RegExpExecArray; value: T }[] {
    this.note({ name: placeholder, fallback: undefined, rule });
    const found: { name: string; match: RegExpExecArray; value: T }[] = [];
    for (const name of Object.keys(this.env).sort()) {
      const match = pattern.exec(name);
      const raw = this.raw(name);
      if (!match || !raw) continue;
      const value = this.parse(name, raw, rule, (text) => parse(text, match));
      if (value !== undefined) found.push({ name, match, value });
    }
    return found;
  }

  /** echo false: the value may hold a password (a URL with credentials), so the message leaves it out. */
  private parse<T>(name: string, raw: string, rule: string, parse: (text: string) => T, echo = true): T | undefined {
    try {
      return parse(raw);
    } catch (err) {
      const why = (err as Error).message;
      this.problems.push(`${name} must be ${rule}${echo ? ` (got "${raw}")` : ''}${why && why !== rule ? `: ${why}` : ''}`);
      return undefined;
    }
  }

  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

export interface BaseConfig {
  service: string;
  port: number;
  databaseUrl: string;
  /** The migrations' connection (the schema's owner role); databaseUrl when unset. */
  migrationDatabaseUrl: string;
  /** NODE_ENV=production: the service refuses to run as a Postgres superuser. */
  production: boolean;
  kafkaBrokers: string[];
  /** The service's own Kafka principal; undefined: the broker asks for no authentication (development only). */
  kafkaSasl: KafkaSasl | undefined;
  /** How the topics the service creates (its own, when missing) are replicated. */
  kafkaReplication: TopicReplication;
  logLevel: LogLevel;
  /** `run`: migrate at start-up (under an advisory lock); `check`: refuse to start while one is pending. */
  migrationsAtStart: 'run' | 'check';
  /** The gateway's Ed25519 public keys (base64url): a command is believed only with an assertion signed by one of them. */
  actorAssertionPublicKeys: string[];
  /** Where /metrics is served: beside the API on PORT (`main`), on a port of its own, or not at all. */
  metricsPort: MetricsPort;
}

export type MetricsPort = number | 'main' | 'off';

const LOG_LEVELS = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'] as const;

/** What the variables every service reads are for (docs/configuration.md). */
export const BASE_SETTINGS: SettingDocs = {
  PORT: 'the HTTP port (health, metrics; the API on the gateway); defaults differ per service',
  DATABASE_URL:
    'the PostgreSQL server and the role the service runs as (its own login role `tally_<service>`, never a superuser: NODE_ENV=production refuses one); the database `tally` when the URL names none. docs/security.md, "Postgres roles"',
  MIGRATION_DATABASE_URL:
    "the role the service's migrations run as (its schema's owner, `tally_<service>_owner`), at start-up and in the migrate-only entrypoint; DATABASE_URL when unset",
  KAFKA_BROKERS: 'comma-separated `host:port` bootstrap brokers',
  KAFKA_USERNAME:
    'the service\'s own Kafka principal (SASL user, `tally-<service>` by convention); required when NODE_ENV=production. Its ACLs are busAccess() of libs/contracts (docs/security.md, "The bus")',
  KAFKA_PASSWORD: 'the password of KAFKA_USERNAME; required with it. Never logged',
  KAFKA_SASL_MECHANISM: 'the SASL mechanism of KAFKA_USERNAME',
  KAFKA_REPLICATION_FACTOR: 'replicas of each topic the service creates (its own topics, when missing): 1 on one broker, 3 in production',
  KAFKA_MIN_INSYNC_REPLICAS:
    '`min.insync.replicas` of each topic the service creates: 1 on one broker, 2 in production (with acks=all, a write survives the loss of one broker)',
  LOG_LEVEL: 'the lowest level logged',
  ACTOR_ASSERTION_PUBLIC_KEYS:
    "the gateway's Ed25519 public keys (raw, base64url, comma-separated: the current one first, then any still in use during a rotation); every command's actor assertion is checked with them. Required when NODE_ENV=production, and not the repository's dev key",
  METRICS_PORT:
    '`main`: Prometheus metrics at `/metrics` on PORT; a port number: only there (a listener of its own, so the API port, and the ingress in front of the gateway, never serve them); `off`: not served',
  MIGRATIONS_AT_START:
    '`run`: the service runs its pending migrations at start-up, one service at a time (advisory lock); `check`: they were run first by the migrate-only entrypoint (`main.js migrate`, the Kubernetes migration Job), so the service only refuses to start while one is pending',
};

/** Settings every service has: its HTTP port, Postgres, Kafka and log level. */
export function readBaseConfig(reader: EnvReader, service: string, defaultPort: number): BaseConfig {
  const port = reader.int('PORT', defaultPort, 1, 65535);
  const databaseUrl = reader.parsed('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/tally', 'a postgres:// URL', withDefaultDatabase, {
    shown: 'postgres://postgres@127.0.0.1:5432',
    echo: false,
  });
  const migrationDatabaseUrl = reader.parsed('MIGRATION_DATABASE_URL', databaseUrl, 'a postgres:// URL', withDefaultDatabase, {
    shown: 'DATABASE_URL',
    echo: false,
  });
  const kafkaBrokers = reader.list('KAFKA_BROKERS', '127.0.0.1:9092', 'comma-separated host:port', (broker) => {
    if (!/^[\w.-]+:\d{1,5}$/.test(broker)) throw new Error('is not host:port');
    return broker;
  });
  const kafkaSasl = readKafkaSasl(reader);
  const kafkaReplication = {
    replicationFactor: reader.int('KAFKA_REPLICATION_FACTOR', 1, 1, 10),
    minInsyncReplicas: reader.int('KAFKA_MIN_INSYNC_REPLICAS', 1, 1, 10),
  };
  if (kafkaReplication.minInsyncReplicas > kafkaReplication.replicationFactor) {
    reader.problems.push(
      `KAFKA_MIN_INSYNC_REPLICAS (${kafkaReplication.minInsyncReplicas}) must not exceed KAFKA_REPLICATION_FACTOR (${kafkaReplication.replicationFactor})`,
    );
  }
  const logLevel = reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'log');
  const migrationsAtStart = reader.oneOf('MIGRATIONS_AT_START', ['run', 'check'] as const, 'run');
  const actorAssertionPublicKeys = reader.list(
    'ACTOR_ASSERTION_PUBLIC_KEYS',
    DEV_ACTOR_ASSERTION_PUBLIC_KEY,
    'comma-separated raw Ed25519 public keys (base64url, 43 characters)',
    (key) => {
      if (!/^[A-Za-z0-9_-]{43}$/.test(key)) throw new Error('is not a raw Ed25519 public key in base64url');
      return key;
    },
  );
  // Unset is the dev key, so this also refuses a production service without the variable.
  if (reader.production && actorAssertionPublicKeys.includes(DEV_ACTOR_ASSERTION_PUBLIC_KEY)) {
    reader.problems.push("ACTOR_ASSERTION_PUBLIC_KEYS must be set, and not to the repository's dev key, when NODE_ENV=production");
  }
  const metricsPort = reader.parsed<MetricsPort>('METRICS_PORT', 'main', '`main`, `off` or a port number (1 to 65535, not PORT)', (raw) => {
    if (raw === 'main' || raw === 'off') return raw;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > 65535) throw new Error('');
    if (value === port) throw new Error('it is PORT; use `main` to serve metrics there');
    return value;
  });
  return {
    service,
    port,
    databaseUrl,
    migrationDatabaseUrl,
    production: reader.production,
    kafkaBrokers,
    kafkaSasl,
    kafkaReplication,
    logLevel,
    migrationsAtStart,
    actorAssertionPublicKeys,
    metricsPort,
  };
}

/**
 * The service's Kafka principal. In production the broker must authenticate it, so both variables
 * are required; in development a broker without authentication is allowed (neither set).
 */
function readKafkaSasl(reader: EnvReader): KafkaSasl | undefined {
  const username = reader.string('KAFKA_USERNAME', '', 'a SASL username; required when NODE_ENV=production');
  const password = reader.secret('KAFKA_PASSWORD', '', 12);
  const mechanism = reader.oneOf('KAFKA_SASL_MECHANISM', ['scram-sha-512', 'scram-sha-256', 'plain'] as const, 'scram-sha-512');
  if (reader.production && !username) reader.problems.push('KAFKA_USERNAME is required when NODE_ENV=production');
  if (!username && !password) return undefined;
  if (!username) reader.problems.push('KAFKA_USERNAME is required with KAFKA_PASSWORD');
  if (!password && !reader.production) reader.problems.push('KAFKA_PASSWORD is required with KAFKA_USERNAME');
  return { mechanism, username, password };
}

/** A URL of one of the schemes (e.g. ['postgres', 'postgresql']); throws what is wrong for EnvReader.parsed. */
export function urlOf(raw: string, schemes: string[], shape: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`not a URL (${shape})`);
  }
  if (!schemes.includes(url.protocol.replace(/:$/, ''))) throw new Error(`it must start with ${schemes.map((s) => `${s}://`).join(' or ')}`);
  return url;
}

/** DATABASE_URL may name the server only; Tally's database is then `tally`. */
function withDefaultDatabase(raw: string): string {
  const url = urlOf(raw, ['postgres', 'postgresql'], 'postgres://user@host:port/database');
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/tally';
  return url.toString();
}
