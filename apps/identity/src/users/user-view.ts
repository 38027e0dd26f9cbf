import { AdminUserView, UserView } from '@tally/contracts';
import { UserRow } from './users.repository';

/** Shows the last two digits only: enough to recognise, not to use. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 2 ? '**' : `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/**
 * The seed's masking for staff: `john.doe@gmail.com` → `joh***@gmail.com`, the first three
 * characters of the name (one when it has four or fewer) and the domain.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = email.slice(0, at);
  return `${local.slice(0, local.length > 4 ? 3 : 1)}***${email.slice(at)}`;
}

/**
 * The seed's masking for staff: `9876543210` → `9876XXXXX0`, the first four digits and the last
 * (a leading + kept); a number of fewer than seven digits shows its last digit only.
 */
export function maskPhoneForStaff(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 0) return 'XX';
  const plus = phone.trim().startsWith('+') ? '+' : '';
  const head = digits.length >= 7 ? digits.slice(0, 4) : '';
  return `${plus}${head}${'X'.repeat(digits.length - head.length - 1)}${digits.slice(-1)}`;
}

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    fullName: row.full_name,
    phone: maskPhone(row.phone),
    roles: row.roles,
    status: row.status,
    emailVerified: row.email_verified_at !== null,
    timeZone: row.time_zone,
    defaultCurrency: row.default_currency,
    language: row.language,
    theme: row.theme,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * What staff see of a user: email and phone masked the seed's way (every list, and auditors), or in
 * full (`masked: false`, an admin on one user's page); never a hash or token.
 */
export function toAdminUserView(row: UserRow, masked = true): AdminUserView {
  return {
    id: row.id,
    email: masked ? maskEmail(row.email) : row.email,
    username: row.username,
    fullName: row.full_name,
    phone: masked ? maskPhoneForStaff(row.phone) : row.phone,
    roles: row.roles,
    status: row.status,
    emailVerified: row.email_verified_at !== null,
    lockedUntil: row.locked_until ? new Date(row.locked_until).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
