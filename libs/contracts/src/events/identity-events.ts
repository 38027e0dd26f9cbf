import { Topics } from '../topics';
import { defineEvent } from './event-contract';

export interface UserRegisteredV1 {
  userId: string;
  username?: string | null;
}

export const UserRegisteredV1 = defineEvent<UserRegisteredV1>({
  type: 'user.registered',
  version: 1,
  topic: Topics.identityEvents,
  shape: { userId: 'uuid', username: 'string?' },
});

/** The kinds of entries in identity's security audit trail (security_events table and this event). */
export const SECURITY_EVENT_KINDS = [
  'login_succeeded',
  'login_failed',
  'account_locked',
  'logout',
  'refresh_token_reused',
  'session_revoked',
  'password_changed',
  'password_reset_requested',
  'email_verified',
  'api_key_created',
  'api_key_revoked',
  'user_suspended',
  'user_activated',
  'user_closed',
  'roles_changed',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/** One entry of the security audit trail; the user is absent for a failed login that named no known account. */
export interface SecurityEventV1 {
  userId?: string | null;
  kind: string;
  ip?: string | null;
  userAgent?: string | null;
  sessionId?: string | null;
  apiKeyId?: string | null;
  /** Who did it when it was not the user (an admin suspending the account). */
  actorId?: string | null;
}

export const SecurityEventV1 = defineEvent<SecurityEventV1>({
  type: 'security.event',
  version: 1,
  topic: Topics.identityEvents,
  shape: { userId: 'uuid?', kind: 'string', ip: 'string?', userAgent: 'string?', sessionId: 'uuid?', apiKeyId: 'uuid?', actorId: 'uuid?' },
});

export type EmailTokenPurpose = 'verify_email' | 'reset_password';

/**
 * A single-use token to be emailed to the user (verification link or password reset). The only
 * place the token exists unhashed: identity stores its hash, notification puts it in the email.
 * Consumers must never log the data of this event.
 */
export interface EmailTokenIssuedV1 {
  userId: string;
  email: string;
  fullName: string;
  purpose: EmailTokenPurpose;
  token: string;
  expiresAt: string;
}

export const EmailTokenIssuedV1 = defineEvent<EmailTokenIssuedV1>({
  type: 'user.email-token-issued',
  version: 1,
  topic: Topics.identityEvents,
  shape: { userId: 'uuid', email: 'string', fullName: 'string', purpose: 'string', token: 'string', expiresAt: 'string' },
});
