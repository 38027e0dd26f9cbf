import { Topics } from '../topics';
import { defineEvent } from './event-contract';

// Identity's security notices, as notification consumes them. Added by notification (issue 4) for
// identity to publish; no secrets or full PII in them (the device is a short label, the IP masked).

export interface SecurityLoginNewDeviceV1 {
  userId: string;
  sessionId?: string | null;
  /** e.g. the user agent's browser and OS, shortened. */
  device?: string | null;
  /** Masked, e.g. 203.0.113.x. */
  ipMasked?: string | null;
  occurredAt: string;
}

export const SecurityLoginNewDeviceV1 = defineEvent<SecurityLoginNewDeviceV1>({
  type: 'security.login_new_device',
  version: 1,
  topic: Topics.identityEvents,
  shape: { userId: 'uuid', sessionId: 'uuid?', device: 'string?', ipMasked: 'string?', occurredAt: 'string' },
});

export interface SecurityAccountLockedV1 {
  userId: string;
  lockedUntil: string;
  reason?: string | null;
}

export const SecurityAccountLockedV1 = defineEvent<SecurityAccountLockedV1>({
  type: 'security.account_locked',
  version: 1,
  topic: Topics.identityEvents,
  shape: { userId: 'uuid', lockedUntil: 'string', reason: 'string?' },
});

/**
 * A service asks notification to send one email (identity: address verification, password reset).
 * Published through the producer's outbox, so the email exists if and only if its cause committed.
 * It carries the address and the text (which may hold a one-time link): consumers never log it.
 */
export interface EmailRequestedV1 {
  to: string;
  subject: string;
  text: string;
  /** What kind of email, e.g. 'verify_email', 'reset_password' (for the record, not for routing). */
  kind: string;
  userId?: string | null;
}

export const EmailRequestedV1 = defineEvent<EmailRequestedV1>({
  type: 'email.requested',
  version: 1,
  topic: Topics.identityEvents,
  shape: { to: 'string', subject: 'string', text: 'string', kind: 'string', userId: 'uuid?' },
});
