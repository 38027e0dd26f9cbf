import { Topics } from '../topics';
import { defineEvent } from './event-contract';

/**
 * An admin acted (decided a fraud review, changed a rule, started a ledger run, imported history):
 * written by the service that carried it out, in the same transaction as the change, so the audit
 * log misses nothing that happened and holds nothing that did not. Identity's own admin actions
 * (suspensions, role changes) travel as security.event with their actorId.
 */
export interface AdminActionV1 {
  actorId: string;
  /** Dotted verb: fraud.review.approved, fraud.rule.updated, ledger.verification.started, ... */
  action: string;
  /** What it was done to: a transaction, a rule, a run, an import. */
  targetType: string;
  targetId: string;
  /** The user whose data or money it touched, when there is one. */
  subjectUserId?: string | null;
  reason?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Small facts worth keeping (the rule's new weight, the run's range); never a secret. */
  details?: Record<string, unknown> | null;
}

export const AdminActionV1 = defineEvent<AdminActionV1>({
  type: 'admin.action',
  version: 1,
  topic: Topics.auditEvents,
  shape: {
    actorId: 'uuid',
    action: 'string',
    targetType: 'string',
    targetId: 'string',
    subjectUserId: 'uuid?',
    reason: 'string?',
    ip: 'string?',
    userAgent: 'string?',
    details: 'object?',
  },
});
