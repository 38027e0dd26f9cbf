import { BaseConfig, EnvReader, readBaseConfig } from '@tally/bootstrap';
import { AdminCredentials, readAdminCredentials } from '../admin-bootstrap/admin-credentials';

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

export interface IdentityConfig extends BaseConfig {
  schema: 'identity';
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  maxFailedLogins: number;
  lockoutMinutes: number;
  /** How long an emailed verification / password-reset token can be used (single use either way). */
  emailVerificationTtlSeconds: number;
  passwordResetTtlSeconds: number;
  /** The first admin, created at start-up when both variables are set. */
  admin?: AdminCredentials;
}

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const reader = new EnvReader(env);
  const config: IdentityConfig = {
    ...readBaseConfig(reader, 'identity', 8081),
    schema: 'identity',
    jwtSecret: reader.secret('JWT_SECRET', 'tally-dev-only-jwt-secret-change-me-0123456789', 32),
    accessTokenTtlSeconds: reader.int('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 3600),
    refreshTokenTtlDays: reader.int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 90),
    maxFailedLogins: reader.int('MAX_FAILED_LOGINS', 5, 1, 100),
    lockoutMinutes: reader.int('LOCKOUT_MINUTES', 15, 1, 1440),
    emailVerificationTtlSeconds: reader.int('EMAIL_VERIFICATION_TTL_SECONDS', 86_400, 1, 7 * 86_400),
    passwordResetTtlSeconds: reader.int('PASSWORD_RESET_TTL_SECONDS', 1800, 1, 86_400),
    admin: readAdminCredentials(reader),
  };
  reader.done();
  return config;
}
