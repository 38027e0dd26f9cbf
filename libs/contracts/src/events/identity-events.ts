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
  'reauthenticated',
  'reauthentication_failed',
  'mfa_enrolment_started',
  'mfa_enabled',
  'mfa_disabled',
  'mfa_failed',
  'recovery_code_used',
  'recovery_codes_regenerated',
  'profile_updated',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/**
 * One entry of the security audit trail; the user is absent for a failed login that named no known
 * account. Session ids stay in identity (its security_events table): they never travel on the bus.
 */
export interface SecurityEventV1 {
  userId?: string | null;
  kind: string;
  ip?: string | null;
  userAgent?: string | null;
  apiKeyId?: string | null;
  /** Who did it when it was not the user (an admin suspending the account). */
  actorId?: string | null;
}

export const SecurityEventV1 = defineEvent<SecurityEventV1>({
  type: 'security.event',
  version: 1,
  topic: Topics.identityEvents,
  shape: { userId: 'uuid?', kind: 'string', ip: 'string?', userAgent: 'string?', apiKeyId: 'uuid?', actorId: 'uuid?' },
});

export type EmailTokenPurpose = 'verify_email' | 'reset_password';

/**
 * A single-use token to be emailed to the user (verification link or password reset). The token
 * never travels in clear: identity seals it to notification's X25519 public key (libs/auth
 * sealed-box, context `emailTokenSealContext`), so only notification can open it, and only to
 * send the email. Identity keeps only the token's hash; topic, outbox and DLQ copies hold ciphertext.
 * Version 2: version 1 carried the token in clear and is no longer produced or consumed.
 */
export interface EmailTokenIssuedV2 {
  userId: string;
  email: string;
  fullName: string;
  purpose: EmailTokenPurpose;
  sealedToken: string;
  expiresAt: string;
}

export const EmailTokenIssuedV2 = defineEvent<EmailTokenIssuedV2>({
  type: 'user.email-token-issued',
  version: 2,
  topic: Topics.identityEvents,
  shape: { userId: 'uuid', email: 'string', fullName: 'string', purpose: 'string', sealedToken: 'string', expiresAt: 'string' },
});

/** What a sealed email token is bound to: opening it in another user's or purpose's email fails. */
export function emailTokenSealContext(data: { userId: string; purpose: EmailTokenPurpose }): string {
  return `user.email-token-issued:${data.userId}:${data.purpose}`;
}
