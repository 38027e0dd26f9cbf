import { EnvReader } from '@tally/bootstrap';
import { passwordProblem } from '../users/password-policy';

/** The first admin, from TALLY_ADMIN_EMAIL and TALLY_ADMIN_PASSWORD (both or neither). */
export interface AdminCredentials {
  email: string;
  password: string;
  /**
   * Development and tests only (TALLY_ADMIN_TOTP_SECRET, refused in production): the admin's TOTP
   * seed, so `npm start` and the test suites can compute the admin's codes. Without it the admin
   * starts with no second factor and enrols one at the first sign-in (docs/identity.md).
   */
  totpSecret?: string;
}

// The same rules registration applies, so the bootstrap admin is no weaker than any user.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
/** At least 160 bits of base32 (RFC 4226's recommended seed length). */
const TOTP_SEED = /^[A-Z2-7]{32,128}$/;

/** Reads the bootstrap admin; a half-set pair, a bad email or a weak password is a start-up error. */
export function readAdminCredentials(reader: EnvReader, production = false): AdminCredentials | undefined {
  const email = reader.string('TALLY_ADMIN_EMAIL', '');
  const password = reader.string('TALLY_ADMIN_PASSWORD', '');
  const totpSecret = reader.string('TALLY_ADMIN_TOTP_SECRET', '');
  const before = reader.problems.length;
  if (totpSecret && production) {
    reader.problems.push('TALLY_ADMIN_TOTP_SECRET is for development and tests only; in production the admin enrols a second factor at first sign-in');
  } else if (totpSecret && !TOTP_SEED.test(totpSecret)) {
    reader.problems.push('TALLY_ADMIN_TOTP_SECRET must be base32 (A-Z, 2-7), at least 32 characters');
  }
  if (!email && !password) return undefined;
  if (!email || !password) {
    reader.problems.push('TALLY_ADMIN_EMAIL and TALLY_ADMIN_PASSWORD must be set together (or neither)');
    return undefined;
  }
  if (!EMAIL.test(email)) reader.problems.push('TALLY_ADMIN_EMAIL must be an email address');
  // Never echo the password itself.
  const weak = passwordProblem(password);
  if (weak) reader.problems.push(`TALLY_ADMIN_PASSWORD ${weak}`);
  if (reader.problems.length !== before) return undefined;
  return totpSecret ? { email, password, totpSecret } : { email, password };
}
