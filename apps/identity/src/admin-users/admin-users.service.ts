import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  AdminListUsersQuery,
  AdminUserRecordView,
  AdminSetRolesPayload,
  AdminSetStatusPayload,
  AdminUserView,
  DomainError,
  isUuid,
  Page,
  SECOND_FACTOR_ROLES,
  SecurityEventKind,
  SecurityEventView,
  USER_ROLES,
  USER_STATUSES,
} from '@tally/contracts';
import { returningRows } from '@tally/database';
import { Messaging } from '@tally/messaging';
import { recordSecurityEvent } from '../audit/security-audit';
import { SessionRow, SessionsRepository } from '../sessions/sessions.repository';
import { pageParams, sortParams } from '../users/page-params';
import { toAdminUserView } from '../users/user-view';
import { UserRow, UsersRepository } from '../users/users.repository';

const SORT_COLUMNS: Record<string, string> = { createdAt: 'created_at', email: 'lower(email)', fullName: 'lower(full_name)', status: 'status' };
const LIST_FIELDS = ['limit', 'offset', 'sortBy', 'sortOrder', 'status', 'role', 'q', 'walletOwnerIds'];
/** Recent enough to judge an account by, short enough for one page. */
const RECENT_SECURITY_EVENTS = 50;

interface SecurityEventRow {
  id: string;
  kind: string;
  ip: string | null;
  user_agent: string | null;
  session_id: string | null;
  api_key_id: string | null;
  actor_id: string | null;
  created_at: Date;
}
const STATUS_EVENT: Record<string, SecurityEventKind> = { active: 'user_activated', suspended: 'user_suspended', closed: 'user_closed' };

/** Admin user management: list (masked), suspend/activate/close, roles. The gateway lets only admins in. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly messaging: Messaging,
  ) {}

  /**
   * Users, masked, filtered by status and role; with `q`, only those whose email, name or username
   * contains it (case-insensitive) or who own a wallet whose number matched (walletOwnerIds).
   */
  async list(query: AdminListUsersQuery): Promise<Page<AdminUserView>> {
    const { limit, offset } = pageParams(query);
    const sort = sortParams(query, SORT_COLUMNS);
    const problems: Record<string, string> = {};
    if (query.status !== undefined && !(USER_STATUSES as readonly string[]).includes(query.status)) {
      problems.status = `must be one of ${USER_STATUSES.join(', ')}`;
    }
    if (query.role !== undefined && !(USER_ROLES as readonly string[]).includes(query.role)) problems.role = `must be one of ${USER_ROLES.join(', ')}`;
    const q = query.q === undefined ? null : String(query.q).trim();
    if (q !== null && (q.length < 2 || q.length > 100)) problems.q = 'must be 2 to 100 characters';
    const owners = query.walletOwnerIds ?? [];
    if (!Array.isArray(owners) || owners.length > 100 || !owners.every((id) => isUuid(id))) problems.walletOwnerIds = 'must be at most 100 user ids';
    for (const field of Object.keys(query)) {
      if (!LIST_FIELDS.includes(field)) problems[field] = 'is not a filter of this list';
    }
    if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The list parameters are invalid', problems);
    // The search text is a LIKE pattern with its own wildcards escaped; column and direction come from whitelists.
    const pattern = q === null ? null : `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = `($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR $2 = ANY (roles))
        AND ($3::text IS NULL OR email ILIKE $3 OR full_name ILIKE $3 OR username ILIKE $3 OR id = ANY ($4::uuid[]))`;
    const params = [query.status ?? null, query.role ?? null, pattern, owners];
    const rows: (UserRow & { total: string })[] = await this.dataSource.query(
      `SELECT *, count(*) OVER () AS total FROM identity.users WHERE ${where}
        ORDER BY ${sort.column} ${sort.direction}, id ${sort.direction}
        LIMIT $5 OFFSET $6`,
      [...params, limit, offset],
    );
    let total = rows.length > 0 ? Number(rows[0].total) : 0;
    if (rows.length === 0 && offset > 0) {
      const count: { n: string }[] = await this.dataSource.query(`SELECT count(*) AS n FROM identity.users WHERE ${where}`, params);
      total = Number(count[0].n);
    }
    return { items: rows.map((row) => toAdminUserView(row)), total, limit, offset };
  }

  /**
   * One user's record: admins see email and phone in full (they act on the account), auditors
   * masked (they read, and need no way to reach the owner); live sessions and recent security events.
   */
  async get(actor: Actor, userId: string): Promise<AdminUserRecordView> {
    const row = isUuid(userId) ? await this.users.findById(userId) : undefined;
    if (!row) throw new DomainError('NOT_FOUND', 'User not found');
    const piiMasked = !actor.roles.includes('admin');
    const [sessions, events]: [SessionRow[], SecurityEventRow[]] = await Promise.all([
      this.dataSource.query(
        `SELECT * FROM identity.sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY last_used_at DESC LIMIT 100`,
        [userId],
      ),
      this.dataSource.query(
        `SELECT id::text, kind, ip, user_agent, session_id, api_key_id, actor_id, created_at FROM identity.security_events
          WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT ${RECENT_SECURITY_EVENTS}`,
        [userId],
      ),
    ]);
    return {
      user: toAdminUserView(row, piiMasked),
      piiMasked,
      sessions: sessions.map((s) => ({
        id: s.id,
        userAgent: s.user_agent,
        ip: s.ip,
        createdAt: new Date(s.created_at).toISOString(),
        lastUsedAt: new Date(s.last_used_at).toISOString(),
        expiresAt: new Date(s.expires_at).toISOString(),
      })),
      securityEvents: events.map(toSecurityEventView),
    };
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
      const updated = returningRows<UserRow>(
        await manager.query(`UPDATE identity.users SET status = $2, updated_at = now() WHERE id = $1 RETURNING *`, [input.userId, input.status]),
      )[0];
      if (input.status === 'closed') {
        await this.sessions.revokeAllForUser(manager, input.userId, 'account_closed');
        await manager.query(`UPDATE identity.api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [input.userId]);
      }
      await recordSecurityEvent(manager, {
        userId: input.userId,
        kind: STATUS_EVENT[input.status],
        actorId: actor.userId,
        ip: input.ip,
        userAgent: input.userAgent,
      });
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
      const current: (UserRow & { totp_confirmed: boolean })[] = await manager.query(
        `SELECT u.*, (t.confirmed_at IS NOT NULL) AS totp_confirmed
           FROM identity.users u LEFT JOIN identity.user_totp t ON t.user_id = u.id WHERE u.id = $1 FOR UPDATE OF u`,
        [input.userId],
      );
      if (current.length === 0) throw new DomainError('NOT_FOUND', 'User not found');
      // Admin and auditor powers need a second factor; granting one to an account without it would
      // let whoever holds its password alone enrol one first.
      const added = normalised.filter((r) => !current[0].roles.includes(r));
      if (!current[0].totp_confirmed && added.some((r) => (SECOND_FACTOR_ROLES as readonly string[]).includes(r))) {
        throw new DomainError('CONFLICT', 'The admin and auditor roles need the account to have TOTP enabled first', { reason: 'MFA_NOT_ENROLLED' });
      }
      const updated = returningRows<UserRow>(
        await manager.query(`UPDATE identity.users SET roles = $2, updated_at = now() WHERE id = $1 RETURNING *`, [input.userId, normalised]),
      )[0];
      await recordSecurityEvent(manager, { userId: input.userId, kind: 'roles_changed', actorId: actor.userId, ip: input.ip, userAgent: input.userAgent });
      return updated;
    });
    this.messaging.published();
    return toAdminUserView(row);
  }
}

function toSecurityEventView(row: SecurityEventRow): SecurityEventView {
  return {
    id: row.id,
    kind: row.kind,
    ip: row.ip,
    userAgent: row.user_agent,
    sessionId: row.session_id,
    apiKeyId: row.api_key_id,
    actorId: row.actor_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
