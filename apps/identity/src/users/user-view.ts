import { UserView } from '@tally/contracts';
import { UserRow } from './users.repository';

/** Shows the last two digits only: enough to recognise, not to use. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 2 ? '**' : `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
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
    createdAt: new Date(row.created_at).toISOString(),
  };
}
