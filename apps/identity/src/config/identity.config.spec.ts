import { DEV_EMAIL_LINK_PUBLIC_KEY, loadIdentityConfig } from './identity.config';

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadIdentityConfig(env);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

const PRODUCTION = {
  NODE_ENV: 'production',
  KAFKA_USERNAME: 'tally-identity',
  KAFKA_PASSWORD: 'p'.repeat(24),
  JWT_SECRET: 'j'.repeat(40),
  MFA_SECRET_KEY: 'm'.repeat(40),
  EMAIL_LINK_PUBLIC_KEY: 'A'.repeat(43),
  ACTOR_ASSERTION_PUBLIC_KEYS: 'C'.repeat(43),
};

describe('identity config', () => {
  it("defaults: 30-minute lockout (PCI DSS 8.3.4), 12-hour sessions, argon2id at OWASP's floor in a pool of 1", () => {
    const config = loadIdentityConfig({});
    expect(config.lockoutMinutes).toBe(30);
    expect(config.sessionAbsoluteLifetimeHours).toBe(12);
    expect(config.passwordHashing).toEqual({ memoryKib: 19_456, timeCost: 2, concurrency: 1, maxQueue: 256, maxWaitMs: 4000 });
    expect(config.emailLinkPublicKey).toBe(DEV_EMAIL_LINK_PUBLIC_KEY);
  });

  it('never goes below OWASP argon2id parameters', () => {
    expect(problems({ PASSWORD_HASH_MEMORY_KIB: '8192' })).toContain('PASSWORD_HASH_MEMORY_KIB');
    expect(problems({ PASSWORD_HASH_TIME_COST: '1' })).toContain('PASSWORD_HASH_TIME_COST');
  });

  it('refuses a pool whose worst case (each slot checking a 128 MiB legacy scrypt hash) passes the memory budget', () => {
    expect(problems({ PASSWORD_HASH_CONCURRENCY: '3' })).toContain('PASSWORD_HASH_MEMORY_BUDGET_MIB');
    expect(problems({ PASSWORD_HASH_CONCURRENCY: '4', PASSWORD_HASH_MEMORY_BUDGET_MIB: '512' })).toBe('');
  });

  it('in production: refuses the dev keys and a lockout under 30 minutes, naming each variable, and the dev TOTP seed', () => {
    expect(problems(PRODUCTION)).toBe('');
    const message = problems({
      ...PRODUCTION,
      EMAIL_LINK_PUBLIC_KEY: DEV_EMAIL_LINK_PUBLIC_KEY,
      LOCKOUT_MINUTES: '15',
      TALLY_ADMIN_EMAIL: 'root@example.com',
      TALLY_ADMIN_PASSWORD: 'long enough 42',
      TALLY_ADMIN_TOTP_SECRET: 'KRAWYTCZEFGVGVCVIRUU2MKBKJDEWRCB',
    });
    expect(message).toContain('EMAIL_LINK_PUBLIC_KEY must not be a repository dev key');
    expect(message).toContain('LOCKOUT_MINUTES must be at least 30');
    expect(message).toContain('TALLY_ADMIN_TOTP_SECRET is for development and tests only');
    expect(problems({ NODE_ENV: 'production' })).toEqual(expect.stringContaining('EMAIL_LINK_PUBLIC_KEY is required'));
  });

  it('reads the bootstrap admin TOTP seed in development, and refuses one that is not 160-bit base32', () => {
    const config = loadIdentityConfig({
      TALLY_ADMIN_EMAIL: 'root@example.com',
      TALLY_ADMIN_PASSWORD: 'long enough 42',
      TALLY_ADMIN_TOTP_SECRET: 'KRAWYTCZEFGVGVCVIRUU2MKBKJDEWRCB',
    });
    expect(config.admin?.totpSecret).toBe('KRAWYTCZEFGVGVCVIRUU2MKBKJDEWRCB');
    expect(problems({ TALLY_ADMIN_EMAIL: 'root@example.com', TALLY_ADMIN_PASSWORD: 'long enough 42', TALLY_ADMIN_TOTP_SECRET: 'short' })).toContain(
      'TALLY_ADMIN_TOTP_SECRET must be base32',
    );
  });

  it("in production refuses the repository's values of JWT_SECRET and MFA_SECRET_KEY (code and compose), naming each", () => {
    for (const [name, value] of [
      ['JWT_SECRET', 'tally-dev-only-jwt-secret-change-me-0123456789'],
      ['JWT_SECRET', 'tally-compose-dev-only-jwt-secret-change-me-0123456789'],
      ['MFA_SECRET_KEY', 'tally-dev-only-mfa-secret-key-0123456789abcdef'],
      ['MFA_SECRET_KEY', 'tally-compose-dev-only-mfa-key-change-me-0123456789'],
    ]) {
      expect(problems({ ...PRODUCTION, [name]: value })).toContain(`${name} must not be a development value from the repository`);
    }
    expect(problems({ ...PRODUCTION, EMAIL_LINK_PUBLIC_KEY: 'zEoBzjV9VC5qBY86vlGxZEV1XyvQhGcHSkdZrYHMHzI' })).toContain(
      'EMAIL_LINK_PUBLIC_KEY must not be a repository dev key',
    );
  });
});
