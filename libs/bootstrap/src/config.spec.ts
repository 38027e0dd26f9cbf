import { ConfigError, EnvReader, readBaseConfig } from './config';

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
      kafkaBrokers: ['127.0.0.1:9092'],
      logLevel: 'log',
    });
  });

  it('treats blank variables as unset', () => {
    const { reader, config } = readAll({ PORT: '  ', DATABASE_URL: '', KAFKA_BROKERS: ' ', LOG_LEVEL: '' }, 3001);
    expect(reader.problems).toEqual([]);
    expect(config.port).toBe(3001);
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/tally');
  });

  it('appends /tally to a DATABASE_URL that names no database', () => {
    expect(readAll({ DATABASE_URL: 'postgres://u:p@db.internal:6543' }).config.databaseUrl).toBe(
      'postgres://u:p@db.internal:6543/tally',
    );
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
    expect(configError(() => reader.done()).message).toContain('DATABASE_URL is not a URL');
  });

  it('rejects a DATABASE_URL that is not postgres', () => {
    const { reader } = readAll({ DATABASE_URL: 'mysql://root@db:3306/tally' });
    expect(configError(() => reader.done()).message).toContain('DATABASE_URL must start with postgres://');
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
