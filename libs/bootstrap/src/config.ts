import type { LogLevel } from '@nestjs/common';

/** Thrown at start-up for a missing or bad environment variable; the message names it. */
export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Collects every problem before failing, so one start-up shows them all. */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  string(name: string, fallback?: string): string {
    const value = this.env[name]?.trim();
    if (value) return value;
    if (fallback !== undefined) return fallback;
    this.problems.push(`${name} is required`);
    return '';
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  /** A secret: required outside development, never echoed in messages. */
  secret(name: string, devFallback: string, minLength: number): string {
    const value = this.env[name];
    const production = this.env.NODE_ENV === 'production';
    if (!value) {
      if (production) this.problems.push(`${name} is required when NODE_ENV=production`);
      return devFallback;
    }
    if (value.length < minLength) this.problems.push(`${name} must be at least ${minLength} characters`);
    return value;
  }

  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

export interface BaseConfig {
  service: string;
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  logLevel: LogLevel;
}

const LOG_LEVELS = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'] as const;

/** Settings every service has: its HTTP port, Postgres, Kafka and log level. */
export function readBaseConfig(reader: EnvReader, service: string, defaultPort: number): BaseConfig {
  const port = reader.int('PORT', defaultPort, 1, 65535);
  const databaseUrl = withDefaultDatabase(reader.string('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432'), reader);
  const brokers = reader
    .string('KAFKA_BROKERS', '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[\w.-]+:\d{1,5}$/.test(broker)) reader.problems.push(`KAFKA_BROKERS entry "${broker}" is not host:port`);
  }
  const logLevel = reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'log');
  return { service, port, databaseUrl, kafkaBrokers: brokers, logLevel };
}

/** DATABASE_URL may name the server only; Tally's database is then `tally`. */
function withDefaultDatabase(raw: string, reader: EnvReader): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    reader.problems.push('DATABASE_URL is not a URL (postgres://user@host:port/database)');
    return raw;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    reader.problems.push('DATABASE_URL must start with postgres://');
  }
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/tally';
  return url.toString();
}
