import { ConfigError, EnvReader, PUBLISHED_DEV_SECRETS, readBaseConfig, recordSettings } from './config';

function configError(fn: () => void): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

function readAll(env: NodeJS.ProcessEnv, defaultPort = 3000) {
  const reader = new EnvReader(env);
  const config = readBaseConfig(reader, 'ledger', defaultPort);
  return { reader, config };
}

describe('readBaseConfig defaults', () => {
  it('uses the default port, Postgres on localhost with database tally, Kafka on 127.0.0.1:9092 and log level log', () => {
    const { reader, config } = readAll({}, 3002);
    expect(() => reader.done()).not.toThrow();
    expect(config).toEqual({
      service: 'ledger',
      port: 3002,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/tally',
      migrationDatabaseUrl: 'postgres://postgres@127.0.0.1:5432/tally',
      production: false,
      kafkaBrokers: ['127.0.0.1:9092'],
      kafkaSasl: undefined,
      kafkaReplication: { replicationFactor: 1, minInsyncReplicas: 1 },
      logLevel: 'log',
      migrationsAtStart: 'run',
      actorAssertionPublicKeys: ['ebRhsoAWTP_nyv2ez2tO5ks4Z3N77Q6_WZ54kBufsuM'],
      metricsPort: 'main',
    });
  });

  it("in production refuses the repository's dev actor-assertion key, and unset means it", () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', ACTOR_ASSERTION_PUBLIC_KEYS: 'ebRhsoAWTP_nyv2ez2tO5ks4Z3N77Q6_WZ54kBufsuM' }]) {
      expect(readAll(env).reader.problems).toContain("ACTOR_ASSERTION_PUBLIC_KEYS must be set, and not to the repository's dev key, when NODE_ENV=production");
    }
    const rotated = readAll({
      NODE_ENV: 'production',
      KAFKA_USERNAME: 'tally-ledger',
      KAFKA_PASSWORD: 'p'.repeat(24),
      ACTOR_ASSERTION_PUBLIC_KEYS: `${'a'.repeat(43)},${'b'.repeat(43)}`,
    });
    expect(rotated.reader.problems).toEqual([]);
    expect(rotated.config.actorAssertionPublicKeys).toEqual(['a'.repeat(43), 'b'.repeat(43)]);
    expect(readAll({ ACTOR_ASSERTION_PUBLIC_KEYS: 'short' }).reader.problems[0]).toBe(
      'ACTOR_ASSERTION_PUBLIC_KEYS entry "short" is not a raw Ed25519 public key in base64url',
    );
  });

  it('runs the migrations as MIGRATION_DATABASE_URL (the schema owner), else as DATABASE_URL', () => {
    const runtime = 'postgres://tally_ledger@db:5432/tally';
    expect(readAll({ DATABASE_URL: runtime }).config.migrationDatabaseUrl).toBe(runtime);
    const { config } = readAll({ DATABASE_URL: runtime, MIGRATION_DATABASE_URL: 'postgres://tally_ledger_owner@db:5432' });
    expect(config.databaseUrl).toBe(runtime);
    expect(config.migrationDatabaseUrl).toBe('postgres://tally_ledger_owner@db:5432/tally');
  });

  it('never echoes a MIGRATION_DATABASE_URL, which may hold a password', () => {
    const { reader } = readAll({ MIGRATION_DATABASE_URL: 'mysql://owner:hunter2-secret@db/x' });
    const error = configError(() => reader.done());
    expect(error.message).toContain('MIGRATION_DATABASE_URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('treats blank variables as unset', () => {
    const { reader, config } = readAll({ PORT: '  ', DATABASE_URL: '', KAFKA_BROKERS: ' ', LOG_LEVEL: '' }, 3001);
    expect(reader.problems).toEqual([]);
    expect(config.port).toBe(3001);
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/tally');
  });

  it('appends /tally to a DATABASE_URL that names no database', () => {
    expect(readAll({ DATABASE_URL: 'postgres://u:p@db.internal:6543' }).config.databaseUrl).toBe('postgres://u:p@db.internal:6543/tally');
    expect(readAll({ DATABASE_URL: 'postgres://u@db:5432/' }).config.databaseUrl).toBe('postgres://u@db:5432/tally');
  });

  it('keeps the database a DATABASE_URL names', () => {
    const { reader, config } = readAll({ DATABASE_URL: 'postgresql://u@db:5432/other?sslmode=require' });
    expect(reader.problems).toEqual([]);
    expect(config.databaseUrl).toBe('postgresql://u@db:5432/other?sslmode=require');
  });

  it('reads a valid PORT, KAFKA_BROKERS list and LOG_LEVEL', () => {
    const { reader, config } = readAll({ PORT: ' 8080 ', KAFKA_BROKERS: 'k1:9092, k2.example.com:19092 ,', LOG_LEVEL: 'debug' });
    expect(reader.problems).toEqual([]);
    expect(config.port).toBe(8080);
    expect(config.kafkaBrokers).toEqual(['k1:9092', 'k2.example.com:19092']);
    expect(config.logLevel).toBe('debug');
  });

  it('accepts PORT at the bounds 1 and 65535', () => {
    expect(readAll({ PORT: '1' }).config.port).toBe(1);
    expect(readAll({ PORT: '65535' }).config.port).toBe(65535);
  });
});

describe('readBaseConfig: METRICS_PORT', () => {
  it.each([
    [undefined, 'main'],
    ['main', 'main'],
    ['off', 'off'],
    ['9464', 9464],
  ])('METRICS_PORT=%p serves metrics at %p', (value, expected) => {
    const { reader, config } = readAll(value === undefined ? {} : { METRICS_PORT: value });
    expect(() => reader.done()).not.toThrow();
    expect(config.metricsPort).toBe(expected);
  });

  it.each(['0', '70000', 'yes', '3000'])('refuses METRICS_PORT=%p, naming it', (value) => {
    const { reader } = readAll({ METRICS_PORT: value, PORT: '3000' });
    expect(configError(() => reader.done()).message).toContain(`METRICS_PORT must be`);
  });
});

describe('readBaseConfig problems', () => {
  it.each(['abc', '70000', '0', '-1', '80.5', '1e3', '65536'])('rejects PORT=%p with a ConfigError naming PORT', (port) => {
    const { reader } = readAll({ PORT: port });
    const error = configError(() => reader.done());
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('PORT');
    expect(error.message).toContain(`"${port}"`);
    expect(reader.problems).toHaveLength(1);
  });

  it('names the bad KAFKA_BROKERS entry', () => {
    const { reader } = readAll({ KAFKA_BROKERS: 'good:9092,bad-entry,also bad:1' });
    const error = configError(() => reader.done());
    expect(error.message).toContain('KAFKA_BROKERS entry "bad-entry" is not host:port');
    expect(error.message).toContain('KAFKA_BROKERS entry "also bad:1" is not host:port');
    expect(error.message).not.toContain('"good:9092"');
  });

  it('rejects a KAFKA_BROKERS entry with a scheme', () => {
    const { reader } = readAll({ KAFKA_BROKERS: 'kafka://k1:9092' });
    expect(configError(() => reader.done()).message).toContain('KAFKA_BROKERS entry "kafka://k1:9092"');
  });

  it('rejects a DATABASE_URL that is not a URL', () => {
    const { reader } = readAll({ DATABASE_URL: 'not a url' });
    expect(configError(() => reader.done()).message).toContain('DATABASE_URL must be a postgres:// URL: not a URL');
  });

  it('rejects a DATABASE_URL that is not postgres', () => {
    const { reader } = readAll({ DATABASE_URL: 'mysql://root@db:3306/tally' });
    expect(configError(() => reader.done()).message).toContain('DATABASE_URL must be a postgres:// URL: it must start with postgres://');
  });

  it('rejects an unknown LOG_LEVEL and lists the allowed ones', () => {
    const { reader, config } = readAll({ LOG_LEVEL: 'trace' });
    const error = configError(() => reader.done());
    expect(error.message).toContain('LOG_LEVEL must be one of verbose, debug, log, warn, error, fatal (got "trace")');
    expect(config.logLevel).toBe('log');
  });

  it('reports all problems at once: two bad variables are both named', () => {
    const { reader } = readAll({ PORT: 'abc', KAFKA_BROKERS: 'nope' });
    const error = configError(() => reader.done());
    expect(reader.problems).toHaveLength(2);
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('KAFKA_BROKERS entry "nope"');
  });

  it('reports every bad variable of a fully broken environment', () => {
    const { reader } = readAll({ PORT: '70000', DATABASE_URL: 'http://x', KAFKA_BROKERS: 'x', LOG_LEVEL: 'loud' });
    const error = configError(() => reader.done());
    for (const name of ['PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL']) expect(error.message).toContain(name);
    expect(error.message.startsWith('Invalid configuration:\n  - ')).toBe(true);
    expect(error.message.split('\n  - ')).toHaveLength(5);
  });
});

describe('readBaseConfig: the Kafka principal and replication', () => {
  it("reads the service's SASL login, SCRAM-SHA-512 by default", () => {
    const { reader, config } = readAll({ KAFKA_USERNAME: 'tally-ledger', KAFKA_PASSWORD: 'a-long-enough-password' });
    expect(reader.problems).toEqual([]);
    expect(config.kafkaSasl).toEqual({ mechanism: 'scram-sha-512', username: 'tally-ledger', password: 'a-long-enough-password' });
  });

  it('requires both in production, and never echoes the password', () => {
    const { reader } = readAll({ NODE_ENV: 'production', KAFKA_PASSWORD: 'short' });
    const error = configError(() => reader.done());
    expect(error.message).toContain('KAFKA_USERNAME is required when NODE_ENV=production');
    expect(error.message).toContain('KAFKA_PASSWORD must be at least 12 characters');
    expect(error.message).not.toContain('short');
    expect(readAll({ NODE_ENV: 'production', KAFKA_USERNAME: 'tally-ledger', ACTOR_ASSERTION_PUBLIC_KEYS: 'C'.repeat(43) }).reader.problems).toEqual([
      'KAFKA_PASSWORD is required when NODE_ENV=production',
    ]);
  });

  it('refuses a username without a password outside production too', () => {
    expect(readAll({ KAFKA_USERNAME: 'tally-ledger' }).reader.problems).toEqual(['KAFKA_PASSWORD is required with KAFKA_USERNAME']);
  });

  it('reads the replication of created topics and refuses more in-sync replicas than replicas', () => {
    expect(readAll({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' }).config.kafkaReplication).toEqual({
      replicationFactor: 3,
      minInsyncReplicas: 2,
    });
    expect(readAll({ KAFKA_MIN_INSYNC_REPLICAS: '2' }).reader.problems).toEqual(['KAFKA_MIN_INSYNC_REPLICAS (2) must not exceed KAFKA_REPLICATION_FACTOR (1)']);
  });
});

describe('EnvReader', () => {
  it('string(): a required variable that is missing is a problem naming it', () => {
    const reader = new EnvReader({});
    expect(reader.string('JWT_ISSUER')).toBe('');
    expect(configError(() => reader.done()).message).toContain('JWT_ISSUER is required');
  });

  it('string(): trims and falls back', () => {
    const reader = new EnvReader({ A: '  a  ' });
    expect(reader.string('A')).toBe('a');
    expect(reader.string('B', 'b')).toBe('b');
    expect(reader.problems).toEqual([]);
  });

  it('int(): returns the fallback when unset and after a problem', () => {
    const reader = new EnvReader({ BAD: 'x' });
    expect(reader.int('UNSET', 7, 1, 10)).toBe(7);
    expect(reader.int('BAD', 7, 1, 10)).toBe(7);
    expect(reader.problems).toEqual(['BAD must be a whole number from 1 to 10 (got "x")']);
  });

  it('done() does not throw without problems', () => {
    expect(() => new EnvReader({}).done()).not.toThrow();
  });
});

describe('EnvReader.secret', () => {
  const SECRET = 'a-very-secret-value-0123456789-abcdef';

  it('in production, a missing secret is a problem naming it', () => {
    const reader = new EnvReader({ NODE_ENV: 'production' });
    reader.secret('JWT_SECRET', 'dev-only-secret-dev-only-secret!', 32);
    const error = configError(() => reader.done());
    expect(error.message).toContain('JWT_SECRET is required when NODE_ENV=production');
  });

  it('in production, an empty secret is a problem', () => {
    const reader = new EnvReader({ NODE_ENV: 'production', JWT_SECRET: '' });
    reader.secret('JWT_SECRET', 'dev-fallback-dev-fallback-dev-fallback', 32);
    expect(configError(() => reader.done()).message).toContain('JWT_SECRET is required');
  });

  it('in production, a short secret is a problem and its value is not in the message', () => {
    const shortSecret = 'tooShort-s3cr3t';
    const reader = new EnvReader({ NODE_ENV: 'production', JWT_SECRET: shortSecret });
    reader.secret('JWT_SECRET', 'dev', 32);
    const error = configError(() => reader.done());
    expect(error.message).toContain('JWT_SECRET must be at least 32 characters');
    expect(error.message).not.toContain(shortSecret);
  });

  it('outside production, a short secret is still a problem, and not echoed', () => {
    const shortSecret = 'shorty-secret';
    const reader = new EnvReader({ NODE_ENV: 'development', JWT_SECRET: shortSecret });
    reader.secret('JWT_SECRET', 'dev', 32);
    const error = configError(() => reader.done());
    expect(error.message).toContain('JWT_SECRET');
    expect(error.message).not.toContain(shortSecret);
  });

  it('outside production, a missing secret falls back to the development value without a problem', () => {
    const reader = new EnvReader({});
    expect(reader.secret('JWT_SECRET', 'dev-fallback', 32)).toBe('dev-fallback');
    expect(reader.problems).toEqual([]);
  });

  it('in production, a long enough secret is returned unchanged without a problem', () => {
    const reader = new EnvReader({ NODE_ENV: 'production', JWT_SECRET: SECRET });
    expect(reader.secret('JWT_SECRET', 'dev', 32)).toBe(SECRET);
    expect(() => reader.done()).not.toThrow();
  });

  it("in production, the loader's own fallback, a published repository value or a dev-only value is refused, naming the variable, not echoing it", () => {
    const fallback = 'loader-fallback-value-0123456789-abcdef';
    for (const value of [fallback, ...PUBLISHED_DEV_SECRETS, 'my-DEV-ONLY-key-0123456789-abcdefghij']) {
      const reader = new EnvReader({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: value });
      reader.secret('WEBHOOK_SECRET_KEY', fallback, 32);
      const error = configError(() => reader.done());
      expect(error.message).toContain('WEBHOOK_SECRET_KEY must not be a development value from the repository when NODE_ENV=production');
      expect(error.message).not.toContain(value);
    }
    // Outside production the same values are accepted (npm start, compose for local use, the tests).
    const dev = new EnvReader({ WEBHOOK_SECRET_KEY: fallback });
    expect(dev.secret('WEBHOOK_SECRET_KEY', fallback, 32)).toBe(fallback);
    expect(dev.problems).toEqual([]);
  });

  it('a secret never appears in the error when other variables are bad', () => {
    const reader = new EnvReader({ NODE_ENV: 'production', JWT_SECRET: SECRET, PORT: 'abc' });
    readBaseConfig(reader, 'identity', 3001);
    reader.secret('JWT_SECRET', 'dev', 64);
    const error = configError(() => reader.done());
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('JWT_SECRET must be at least 64 characters');
    expect(error.message).not.toContain(SECRET);
    expect(error.stack ?? '').not.toContain(SECRET);
  });
});

describe('EnvReader.parsed, list and matching', () => {
  it('never echoes a DATABASE_URL, which may hold a password', () => {
    const { reader } = readAll({ DATABASE_URL: 'mysql://root:hunter2-secret@db/x' });
    const error = configError(() => reader.done());
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('hunter2-secret');
  });

  it('a bad value is a problem naming the variable and the rule, never the fallback in silence', () => {
    const reader = new EnvReader({ RATE: 'abc' });
    const parse = (text: string) => {
      if (!/^\d+%$/.test(text)) throw new Error('');
      return text;
    };
    expect(reader.parsed('RATE', '1%', 'a percent like 2%', parse)).toBe('1%');
    expect(reader.problems).toEqual(['RATE must be a percent like 2% (got "abc")']);
  });

  it('matching() reads every variable of a pattern and names each bad one', () => {
    const reader = new EnvReader({ FEE_USD: '1', FEE_EUR: 'x', FEE_JPY: '', OTHER: '2' });
    const found = reader.matching(/^FEE_([A-Z]{3})$/, 'FEE_<CUR>', 'a digit', (text) => {
      if (!/^\d$/.test(text)) throw new Error('');
      return Number(text);
    });
    expect(found.map((f) => [f.match[1], f.value])).toEqual([['USD', 1]]);
    expect(reader.problems).toEqual(['FEE_EUR must be a digit (got "x")']);
  });
});

describe('recordSettings', () => {
  it('lists every variable a loader reads with its default and rule, and runs against an empty environment', () => {
    const settings = recordSettings(() => {
      const reader = new EnvReader({ PORT: 'ignored because the recorder passes its own env' });
      readBaseConfig(reader, 'ledger', 8082);
      reader.secret('JWT_SECRET', 'dev', 32);
      reader.done();
    });
    expect(settings.map((s) => s.name)).toEqual([
      'PORT',
      'DATABASE_URL',
      'MIGRATION_DATABASE_URL',
      'KAFKA_BROKERS',
      'KAFKA_USERNAME',
      'KAFKA_PASSWORD',
      'KAFKA_SASL_MECHANISM',
      'KAFKA_REPLICATION_FACTOR',
      'KAFKA_MIN_INSYNC_REPLICAS',
      'LOG_LEVEL',
      'MIGRATIONS_AT_START',
      'ACTOR_ASSERTION_PUBLIC_KEYS',
      'METRICS_PORT',
      'JWT_SECRET',
    ]);
    expect(settings[0]).toEqual({ name: 'PORT', fallback: '8082', rule: 'whole number, 1 to 65535' });
    expect(settings[5]).toMatchObject({ name: 'KAFKA_PASSWORD', fallback: undefined, secret: true });
    expect(settings[13]).toMatchObject({ name: 'JWT_SECRET', fallback: undefined, secret: true });
  });
});
