import { EnvReader } from '@tally/bootstrap';
import { passwordProblem } from '../users/password-policy';

/** The first admin, from TALLY_ADMIN_EMAIL and TALLY_ADMIN_PASSWORD (both or neither). */
export interface AdminCredentials {
  email: string;
  password: string;
}

// The same rules registration applies, so the bootstrap admin is no weaker than any user.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

/** Reads the bootstrap admin; a half-set pair, a bad email or a weak password is a start-up error. */
export function readAdminCredentials(reader: EnvReader): AdminCredentials | undefined {
  const email = reader.string('TALLY_ADMIN_EMAIL', '');
  const password = reader.string('TALLY_ADMIN_PASSWORD', '');
  if (!email && !password) return undefined;
  if (!email || !password) {
    reader.problems.push('TALLY_ADMIN_EMAIL and TALLY_ADMIN_PASSWORD must be set together (or neither)');
    return undefined;
  }
  const before = reader.problems.length;
  if (!EMAIL.test(email)) reader.problems.push('TALLY_ADMIN_EMAIL must be an email address');
  // Never echo the password itself.
  const weak = passwordProblem(password);
  if (weak) reader.problems.push(`TALLY_ADMIN_PASSWORD ${weak}`);
  return reader.problems.length === before ? { email, password } : undefined;
}
