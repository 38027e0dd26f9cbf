import { DomainError } from '../errors';
import { ADMIN_READ_ROLES, requireRole } from './command';

describe('requireRole', () => {
  const actor = (...roles: string[]) => ({ userId: 'u', roles: ['user', ...roles] });

  it('answers the actor when it holds one of the roles', () => {
    const auditor = actor('auditor');
    expect(requireRole(auditor, ...ADMIN_READ_ROLES)).toBe(auditor);
    expect(requireRole(actor('admin'), 'admin').roles).toContain('admin');
  });

  it('refuses anyone else with 403 FORBIDDEN naming the roles; an auditor never acts as an admin', () => {
    for (const [who, roles] of [
      [actor(), ADMIN_READ_ROLES],
      [actor('auditor'), ['admin']],
    ] as const) {
      let refusal: unknown;
      try {
        requireRole(who, ...roles);
      } catch (err) {
        refusal = err;
      }
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: 'FORBIDDEN', message: `This needs the ${roles.join(' or ')} role` });
    }
  });
});
