import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  Actor,
  ADMIN_READ_ROLES,
  AdminActionV1,
  AuditLogEntryView,
  AuditLogQuery,
  DomainError,
  EventEnvelope,
  isUuid,
  Page,
  requireRole,
  SecurityEventV1,
  WalletPinUnlockedV1,
} from '@tally/contracts';

interface AuditRow {
  id: string;
  occurred_at: Date;
  source: string;
  action: string;
  actor_id: string | null;
  subject_user_id: string | null;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

type NewAuditRow = Omit<AuditRow, 'occurred_at'> & { occurred_at: string };

const QUERY_FIELDS = ['actorId', 'action', 'userId', 'from', 'to', 'limit', 'offset', 'sortOrder'];
const ACTION = /^[a-z][a-z0-9_.-]{1,80}$/;

/**
 * The audit log: every service's admin actions (admin.action on audit.events) and identity's
 * security events (logins, locks, suspensions and role changes with the admin who acted), each kept
 * once (the event id is the row id, and the consumer's inbox skips redeliveries).
 */
@Injectable()
export class AuditLogService {
  constructor(private readonly dataSource: DataSource) {}

  async onAdminAction(event: EventEnvelope<AdminActionV1>, manager: EntityManager): Promise<void> {
    const a = event.data;
    await this.insert(manager, {
      id: event.id,
      occurred_at: event.occurredAt,
      source: event.source,
      action: a.action,
      actor_id: a.actorId,
      subject_user_id: a.subjectUserId ?? null,
      target_type: a.targetType,
      target_id: a.targetId,
      reason: a.reason ?? null,
      ip: a.ip ?? null,
      user_agent: a.userAgent ?? null,
      details: a.details ?? {},
    });
  }

  /** The ledger announces an admin's PIN unlock on ledger.events (it carries who and why, not from where). */
  async onPinUnlocked(event: EventEnvelope<WalletPinUnlockedV1>, manager: EntityManager): Promise<void> {
    const u = event.data;
    await this.insert(manager, {
      id: event.id,
      occurred_at: u.unlockedAt,
      source: event.source,
      action: 'ledger.wallet.pin_unlocked',
      actor_id: u.unlockedBy,
      subject_user_id: u.userId,
      target_type: 'wallet',
      target_id: u.walletId,
      reason: u.reason,
      ip: null,
      user_agent: null,
      details: { walletNumber: u.walletNumber, failedAttempts: u.failedAttempts, wasLocked: u.wasLocked },
    });
  }

  async onSecurityEvent(event: EventEnvelope<SecurityEventV1>, manager: EntityManager): Promise<void> {
    const e = event.data;
    await this.insert(manager, {
      id: event.id,
      occurred_at: event.occurredAt,
      source: event.source,
      action: e.kind,
      // The user acted unless an admin did it to them.
      actor_id: e.actorId ?? e.userId ?? null,
      subject_user_id: e.userId ?? null,
      target_type: e.userId ? 'user' : null,
      target_id: e.userId ?? null,
      reason: null,
      ip: e.ip ?? null,
      user_agent: e.userAgent ?? null,
      details: e.apiKeyId ? { apiKeyId: e.apiKeyId } : {},
    });
  }

  /** Newest first (sortOrder=asc for oldest first), filtered by actor, action, user and time. */
  async list(actor: Actor, query: AuditLogQuery): Promise<Page<AuditLogEntryView>> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const q = query ?? {};
    const problems: Record<string, string> = {};
    for (const field of Object.keys(q)) if (!QUERY_FIELDS.includes(field)) problems[field] = 'is not a filter of this list';
    const uuid = (name: 'actorId' | 'userId') => {
      if (q[name] !== undefined && !isUuid(q[name])) problems[name] = 'must be a user id';
      return q[name] ?? null;
    };
    const time = (name: 'from' | 'to') => {
      if (q[name] === undefined || q[name] === '') return null;
      const d = new Date(String(q[name]));
      if (Number.isNaN(d.getTime())) problems[name] = 'must be an ISO 8601 date or time';
      return d;
    };
    const int = (name: 'limit' | 'offset', fallback: number, max: number) => {
      const raw = q[name];
      if (raw === undefined || raw === '') return fallback;
      const n = /^\d{1,7}$/.test(String(raw)) ? Number(raw) : NaN;
      if (!(n >= (name === 'limit' ? 1 : 0) && n <= max)) problems[name] = `must be a whole number up to ${max}${name === 'limit' ? ', at least 1' : ''}`;
      return n;
    };
    const actorId = uuid('actorId');
    const userId = uuid('userId');
    const action = q.action ?? null;
    if (action !== null && !ACTION.test(action)) problems.action = 'must be an action name such as login_failed or fraud.review.approved';
    const from = time('from');
    const to = time('to');
    const limit = int('limit', 50, 100);
    const offset = int('offset', 0, 1_000_000);
    const order = q.sortOrder === undefined || q.sortOrder === 'desc' ? 'DESC' : q.sortOrder === 'asc' ? 'ASC' : undefined;
    if (!order) problems.sortOrder = 'must be asc or desc';
    if (from && to && from >= to) problems.to = 'must be after from';
    if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The audit log query is invalid', problems);
    const where = `($1::uuid IS NULL OR actor_id = $1) AND ($2::uuid IS NULL OR subject_user_id = $2) AND ($3::text IS NULL OR action = $3)
      AND ($4::timestamptz IS NULL OR occurred_at >= $4) AND ($5::timestamptz IS NULL OR occurred_at < $5)`;
    const params = [actorId, userId, action, from, to];
    const [rows, counted]: [AuditRow[], { total: number }[]] = await Promise.all([
      this.dataSource.query(`SELECT * FROM analytics.audit_log WHERE ${where} ORDER BY occurred_at ${order}, id ${order} LIMIT $6 OFFSET $7`, [
        ...params,
        limit,
        offset,
      ]),
      this.dataSource.query(`SELECT count(*)::int AS total FROM analytics.audit_log WHERE ${where}`, params),
    ]);
    return { items: rows.map(toView), total: counted[0].total, limit, offset };
  }

  private async insert(manager: EntityManager, row: NewAuditRow): Promise<void> {
    await manager.query(
      `INSERT INTO analytics.audit_log (id, occurred_at, source, action, actor_id, subject_user_id, target_type, target_id, reason, ip, user_agent, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
      [
        row.id,
        row.occurred_at,
        row.source,
        row.action,
        row.actor_id,
        row.subject_user_id,
        row.target_type,
        row.target_id,
        row.reason,
        row.ip,
        row.user_agent,
        JSON.stringify(row.details),
      ],
    );
  }
}

function toView(row: AuditRow): AuditLogEntryView {
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    source: row.source,
    action: row.action,
    actorId: row.actor_id,
    subjectUserId: row.subject_user_id,
    targetType: row.target_type,
    targetId: row.target_id,
    reason: row.reason,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  };
}
