import { Actor, DomainError } from '@tally/contracts';

/** The gateway's route is admin-only already; the ledger does not rely on it. */
export function requireAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new DomainError('FORBIDDEN', 'This needs the admin role');
}
