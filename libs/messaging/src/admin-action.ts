import type { EntityManager } from 'typeorm';
import { AdminActionV1, RequestOrigin } from '@tally/contracts';
import { enqueueEvent } from './outbox';

/** What an acting admin command's payload may carry for the audit log (the gateway adds it). */
export function requestOrigin(payload: unknown): RequestOrigin {
  const p = (payload ?? {}) as Record<string, unknown>;
  const text = (value: unknown, max: number) => (typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined);
  return { ip: text(p.ip, 64), userAgent: text(p.userAgent, 300) };
}

/**
 * Announces an admin action for the audit log, in the caller's transaction: it is logged if and
 * only if the change it describes commits. Partitioned by actor so one admin's actions stay in order.
 */
export async function recordAdminAction(
  manager: EntityManager,
  service: string,
  action: Omit<AdminActionV1, 'ip' | 'userAgent'> & { origin?: RequestOrigin },
): Promise<void> {
  const { origin, ...data } = action;
  await enqueueEvent(manager, service, AdminActionV1, {
    source: service,
    subject: action.actorId,
    data: { ...data, ip: origin?.ip ?? null, userAgent: origin?.userAgent ?? null },
  });
}
