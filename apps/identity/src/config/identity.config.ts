import { BaseConfig, EnvReader, readBaseConfig, SettingDocs } from '@tally/bootstrap';
import { AdminCredentials, readAdminCredentials } from '../admin-bootstrap/admin-credentials';
import { OWASP_ARGON2_FLOOR } from '../passwords/password-hasher';

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

export interface PasswordHashingConfig {
  /** argon2id memory (KiB) and passes; never below OWASP's m = 19 MiB, t = 2. */
  memoryKib: number;
  timeCost: number;
  /** Hashes at once; with maxQueue and maxWaitMs, see HashingPool. */
  concurrency: number;
  maxQueue: number;
  maxWaitMs: number;
}

export interface IdentityConfig extends BaseConfig {
  schema: 'identity';
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** A session ends this long after its login, however often it is refreshed. */
  sessionAbsoluteLifetimeHours: number;
  maxFailedLogins: number;
  lockoutMinutes: number;
  passwordHashing: PasswordHashingConfig;
  /** How long an emailed verification / password-reset token can be used (single use either way). */
  emailVerificationTtlSeconds: number;
  passwordResetTtlSeconds: number;
  /** Notification's X25519 public key (base64url): email-link tokens are sealed to it before they leave identity. */
  emailLinkPublicKey: string;
  mfa: {
    /** Encrypts stored TOTP seeds (AES-256-GCM). */
    secretKey: string;
    /** The issuer an authenticator app shows. */
    issuer: string;
  };
  /** The first admin, created at start-up when both variables are set. */
  admin?: AdminCredentials;
}

/** The development key pair's public half; its private half is notification's dev default. Refused in production. */
export const DEV_EMAIL_LINK_PUBLIC_KEY = 'ubGF_7ECq17_c6A-g_t9DpejZmr2iMuqQx0eUXazj2U';
/** Public keys whose private halves are in the repository (the code's and compose's dev pairs). */
const PUBLISHED_EMAIL_LINK_PUBLIC_KEYS = [DEV_EMAIL_LINK_PUBLIC_KEY, 'zEoBzjV9VC5qBY86vlGxZEV1XyvQhGcHSkdZrYHMHzI'];
const DEV_MFA_SECRET_KEY = 'tally-dev-only-mfa-secret-key-0123456789abcdef';
const DEV_JWT_SECRET = 'tally-dev-only-jwt-secret-change-me-0123456789';

/** Each a whole number of MiB the pod must hold per running hash: argon2id's m, or a legacy scrypt check's 128 MiB. */
const SCRYPT_CHECK_MIB = 128;
/** What each variable is for (docs/configuration.md is generated from this and the loader). */
export const IDENTITY_SETTINGS: SettingDocs = {
  JWT_SECRET: "signs access tokens (HS256); the same value as the gateway's",
  ACCESS_TOKEN_TTL_SECONDS: 'access token lifetime',
  REFRESH_TOKEN_TTL_DAYS: "a session's refresh token lifetime (renewed on each refresh)",
  MAX_FAILED_LOGINS: 'misses before a login name is locked (known or not)',
  LOCKOUT_MINUTES: 'how long a locked login name stays locked (at least 30 in production: PCI DSS 8.3.4)',
  SESSION_ABSOLUTE_LIFETIME_HOURS: 'a session ends this long after its login, however often it is refreshed (NIST SP 800-63B AAL2: 12 h)',
  PASSWORD_HASH_MEMORY_KIB: "argon2id memory per hash in KiB (never below OWASP's 19 MiB)",
  PASSWORD_HASH_TIME_COST: "argon2id passes (never below OWASP's 2)",
  PASSWORD_HASH_CONCURRENCY: 'password hashes run at once (the pool; a credential command gate runs 4 × this)',
  PASSWORD_HASH_QUEUE_MAX: 'password checks allowed to wait for the pool; one more is refused at once with 503 PASSWORD_CHECKS_BUSY',
  PASSWORD_HASH_QUEUE_TIMEOUT_MS: "a password check that waited this long is refused unrun (keep it below the gateway's COMMAND_TIMEOUT_MS)",
  PASSWORD_HASH_MEMORY_BUDGET_MIB:
    "the pool's worst case (concurrency × max(argon2 memory, 128 MiB of a legacy scrypt check)) must fit this; start-up refuses otherwise",
  EMAIL_LINK_PUBLIC_KEY:
    "notification's X25519 public key (base64url, 32 bytes): email-link tokens are sealed to it; required in production, the repository dev key refused",
  MFA_SECRET_KEY: 'encrypts stored TOTP seeds (AES-256-GCM)',
  MFA_ISSUER: "the issuer name authenticator apps show for Tally's TOTP",
  TALLY_ADMIN_TOTP_SECRET:
    "development and tests only (refused in production): the bootstrap admin's base32 TOTP seed, so its codes can be computed (`npm start` sets one); without it the admin enrols at first sign-in",
  EMAIL_VERIFICATION_TTL_SECONDS: 'how long an emailed verification token works (once)',
  PASSWORD_RESET_TTL_SECONDS: 'how long an emailed password-reset token works (once)',
  TALLY_ADMIN_EMAIL:
    'creates this user with roles `user`, `admin` at start-up if absent (with TALLY_ADMIN_PASSWORD: both or neither; `npm start` uses `admin@tally.local`)',
  TALLY_ADMIN_PASSWORD: "the bootstrap admin's password; follows the registration rules (`npm start` uses `tally-admin-dev-1`)",
};

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const reader = new EnvReader(env);
  const production = env.NODE_ENV === 'production';
  const passwordHashing: PasswordHashingConfig = {
    memoryKib: reader.int('PASSWORD_HASH_MEMORY_KIB', OWASP_ARGON2_FLOOR.memoryKib, OWASP_ARGON2_FLOOR.memoryKib, 1_048_576),
    timeCost: reader.int('PASSWORD_HASH_TIME_COST', OWASP_ARGON2_FLOOR.timeCost, OWASP_ARGON2_FLOOR.timeCost, 10),
    // One by default: identity's pod has one CPU (deploy/k8s), and a hash at a time leaves room for everything else.
    concurrency: reader.int('PASSWORD_HASH_CONCURRENCY', 1, 1, 32),
    maxQueue: reader.int('PASSWORD_HASH_QUEUE_MAX', 256, 0, 10_000),
    maxWaitMs: reader.int('PASSWORD_HASH_QUEUE_TIMEOUT_MS', 4000, 100, 60_000),
  };
  // The pool's worst case must fit the pod: every running slot holding the larger of the two KDFs.
  const budgetMib = reader.int('PASSWORD_HASH_MEMORY_BUDGET_MIB', 256, 32, 65_536);
  const peakMib = passwordHashing.concurrency * Math.max(Math.ceil(passwordHashing.memoryKib / 1024), SCRYPT_CHECK_MIB);
  if (peakMib > budgetMib) {
    reader.problems.push(
      `PASSWORD_HASH_CONCURRENCY × per-hash memory is ${peakMib} MiB, above PASSWORD_HASH_MEMORY_BUDGET_MIB (${budgetMib}); lower the concurrency or raise the budget with the pod's memory limit`,
    );
  }
  const lockoutMinutes = reader.int('LOCKOUT_MINUTES', 30, 1, 1440);
  if (production && lockoutMinutes < 30) reader.problems.push('LOCKOUT_MINUTES must be at least 30 when NODE_ENV=production (PCI DSS 8.3.4)');
  const jwtSecret = reader.secret('JWT_SECRET', DEV_JWT_SECRET, 32);
  const emailLinkPublicKey = reader.string('EMAIL_LINK_PUBLIC_KEY', production ? undefined : DEV_EMAIL_LINK_PUBLIC_KEY);
  if (emailLinkPublicKey && !/^[A-Za-z0-9_-]{43}$/.test(emailLinkPublicKey)) {
    reader.problems.push('EMAIL_LINK_PUBLIC_KEY must be a raw X25519 public key in base64url (43 characters)');
  }
  const mfaSecretKey = reader.secret('MFA_SECRET_KEY', DEV_MFA_SECRET_KEY, 32);
  // JWT_SECRET and MFA_SECRET_KEY: EnvReader.secret refuses the repository's values in production.
  if (production && PUBLISHED_EMAIL_LINK_PUBLIC_KEYS.includes(emailLinkPublicKey)) {
    reader.problems.push('EMAIL_LINK_PUBLIC_KEY must not be a repository dev key when NODE_ENV=production (its private half is public)');
  }
  const config: IdentityConfig = {
    ...readBaseConfig(reader, 'identity', 8081),
    schema: 'identity',
    jwtSecret,
    accessTokenTtlSeconds: reader.int('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 3600),
    refreshTokenTtlDays: reader.int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 90),
    sessionAbsoluteLifetimeHours: reader.int('SESSION_ABSOLUTE_LIFETIME_HOURS', 12, 1, 2160),
    maxFailedLogins: reader.int('MAX_FAILED_LOGINS', 5, 1, 100),
    lockoutMinutes,
    passwordHashing,
    emailVerificationTtlSeconds: reader.int('EMAIL_VERIFICATION_TTL_SECONDS', 86_400, 1, 7 * 86_400),
    passwordResetTtlSeconds: reader.int('PASSWORD_RESET_TTL_SECONDS', 1800, 1, 86_400),
    emailLinkPublicKey,
    mfa: { secretKey: mfaSecretKey, issuer: reader.string('MFA_ISSUER', 'Tally') },
    admin: readAdminCredentials(reader, production),
  };
  reader.done();
  return config;
}
