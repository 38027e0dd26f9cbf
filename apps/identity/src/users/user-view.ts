import { AdminUserView, UserView } from '@tally/contracts';
import { UserRow } from './users.repository';

/** Shows the last two digits only: enough to recognise, not to use. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 2 ? '**' : `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** `amy.pond@example.com` → `a*******@example.com`: the first character and the domain, for admin lists. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = email.slice(0, at);
  return `${local[0]}${'*'.repeat(Math.max(local.length - 1, 3))}${email.slice(at)}`;
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
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** What an admin sees in the user list: email and phone masked, never a hash or token. */
export function toAdminUserView(row: UserRow): AdminUserView {
  return {
    id: row.id,
    email: maskEmail(row.email),
    username: row.username,
    fullName: row.full_name,
    phone: maskPhone(row.phone),
    roles: row.roles,
    status: row.status,
    emailVerified: row.email_verified_at !== null,
    lockedUntil: row.locked_until ? new Date(row.locked_until).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
