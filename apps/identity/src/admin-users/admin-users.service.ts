import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  AdminListUsersQuery,
  AdminSetRolesPayload,
  AdminSetStatusPayload,
  AdminUserView,
  DomainError,
  isUuid,
  Page,
  SecurityEventKind,
  USER_ROLES,
  USER_STATUSES,
} from '@tally/contracts';
import { returningRows } from '@tally/database';
import { Messaging } from '@tally/messaging';
import { recordSecurityEvent } from '../audit/security-audit';
import { SessionsRepository } from '../sessions/sessions.repository';
import { pageParams, sortParams } from '../users/page-params';
import { toAdminUserView } from '../users/user-view';
import { UserRow } from '../users/users.repository';

const SORT_COLUMNS: Record<string, string> = { createdAt: 'created_at', email: 'lower(email)', fullName: 'lower(full_name)', status: 'status' };
const STATUS_EVENT: Record<string, SecurityEventKind> = { active: 'user_activated', suspended: 'user_suspended', closed: 'user_closed' };

/** Admin user management: list (masked), suspend/activate/close, roles. The gateway lets only admins in. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsRepository,
    private readonly messaging: Messaging,
  ) {}

  async list(query: AdminListUsersQuery): Promise<Page<AdminUserView>> {
    const { limit, offset } = pageParams(query);
    const sort = sortParams(query, SORT_COLUMNS);
    const problems: Record<string, string> = {};
    if (query.status !== undefined && !(USER_STATUSES as readonly string[]).includes(query.status)) {
      problems.status = `must be one of ${USER_STATUSES.join(', ')}`;
    }
    if (query.role !== undefined && !(USER_ROLES as readonly string[]).includes(query.role)) problems.role = `must be one of ${USER_ROLES.join(', ')}`;
    for (const field of Object.keys(query)) {
      if (!['limit', 'offset', 'sortBy', 'sortOrder', 'status', 'role'].includes(field)) problems[field] = 'is not a filter of this list';
    }
    if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The list parameters are invalid', problems);
    // Column and direction come from the whitelists above, never from the request text.
    const rows: (UserRow & { total: string })[] = await this.dataSource.query(
      `SELECT *, count(*) OVER () AS total FROM identity.users
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR $2 = ANY (roles))
        ORDER BY ${sort.column} ${sort.direction}, id ${sort.direction}
        LIMIT $3 OFFSET $4`,
      [query.status ?? null, query.role ?? null, limit, offset],
    );
    let total = rows.length > 0 ? Number(rows[0].total) : 0;
    if (rows.length === 0 && offset > 0) {
      const count: { n: string }[] = await this.dataSource.query(
        `SELECT count(*) AS n FROM identity.users WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR $2 = ANY (roles))`,
        [query.status ?? null, query.role ?? null],
      );
      total = Number(count[0].n);
    }
    return { items: rows.map(toAdminUserView), total, limit, offset };
  }

  /**
   * suspended: can log in and read, cannot move money; closed: cannot log in, every session ends
   * (final: a closed account is not reactivated). Admins cannot change their own status.
   */
  async setStatus(actor: Actor, input: AdminSetStatusPayload): Promise<AdminUserView> {
    if (!isUuid(input.userId)) throw new DomainError('NOT_FOUND', 'User not found');
    if (!(USER_STATUSES as readonly string[]).includes(input.status)) {
      throw new DomainError('VALIDATION_FAILED', 'Unknown status', { status: `must be one of ${USER_STATUSES.join(', ')}` });
    }
    if (input.userId === actor.userId) throw new DomainError('FORBIDDEN', 'Admins cannot change their own status');
    const row = await this.dataSource.transaction(async (manager) => {
      const current: UserRow[] = await manager.query(`SELECT * FROM identity.users WHERE id = $1 FOR UPDATE`, [input.userId]);
      if (current.length === 0) throw new DomainError('NOT_FOUND', 'User not found');
      if (current[0].status === input.status) return current[0];
      if (current[0].status === 'closed') throw new DomainError('CONFLICT', 'A closed account cannot be reopened');
      const updated = returningRows<UserRow>(await manager.query(
        `UPDATE identity.users SET status = $2, updated_at = now() WHERE id = $1 RETURNING *`,
        [input.userId, input.status],
      ))[0];
      if (input.status === 'closed') {
        await this.sessions.revokeAllForUser(manager, input.userId, 'account_closed');
        await manager.query(`UPDATE identity.api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [input.userId]);
      }
      await recordSecurityEvent(manager, { userId: input.userId, kind: STATUS_EVENT[input.status], actorId: actor.userId, ip: input.ip, userAgent: input.userAgent });
      return updated;
    });
    this.messaging.published();
    return toAdminUserView(row);
  }

  /** Replaces the user's roles; `user` is always kept, and an admin cannot drop their own admin role. */
  async setRoles(actor: Actor, input: AdminSetRolesPayload): Promise<AdminUserView> {
    if (!isUuid(input.userId)) throw new DomainError('NOT_FOUND', 'User not found');
    const roles = Array.isArray(input.roles) ? [...new Set(input.roles)] : [];
    if (roles.length === 0 || !roles.every((r) => (USER_ROLES as readonly string[]).includes(r))) {
      throw new DomainError('VALIDATION_FAILED', 'Unknown roles', { roles: `must be a non-empty list of ${USER_ROLES.join(', ')}` });
    }
    const normalised = USER_ROLES.filter((r) => r === 'user' || roles.includes(r));
    if (input.userId === actor.userId && !normalised.includes('admin')) {
      throw new DomainError('FORBIDDEN', 'Admins cannot remove their own admin role');
    }
    const row = await this.dataSource.transaction(async (manager) => {
      const updated = returningRows<UserRow>(await manager.query(
        `UPDATE identity.users SET roles = $2, updated_at = now() WHERE id = $1 RETURNING *`,
        [input.userId, normalised],
      ))[0];
      if (!updated) throw new DomainError('NOT_FOUND', 'User not found');
      await recordSecurityEvent(manager, { userId: input.userId, kind: 'roles_changed', actorId: actor.userId, ip: input.ip, userAgent: input.userAgent });
      return updated;
    });
    this.messaging.published();
    return toAdminUserView(row);
  }
}
