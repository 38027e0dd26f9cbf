import { Topics } from '../topics';
import type { Shape } from '../schema';
import { CommandContract, defineCommand, ListQuery, NoPayload, REQUEST_ORIGIN_SHAPE as ORIGIN } from './command-contract';
import type { AdminUserRecordView, AdminUserSearch } from './admin-views';
import type { Page } from './notification-commands';

const identity = <TPayload, TReply = unknown>(type: string, shape: Shape): CommandContract<TPayload, TReply> =>
  defineCommand<TPayload, TReply>({ topic: Topics.identityCommands, type, shape });
/** The commands that check or hash a password have a topic and a consumer of their own (identity.credentials). */
const credentials = <TPayload, TReply = unknown>(type: string, shape: Shape): CommandContract<TPayload, TReply> =>
  defineCommand<TPayload, TReply>({ topic: Topics.identityCredentials, type, shape });

const SECOND_FACTOR: Shape = { code: 'string', ...ORIGIN };

/** Identity's commands, one contract per command version. */
export const IdentityCommands = {
  register: credentials<RegisterPayload, UserView>('auth.register', {
    email: 'string',
    password: 'string',
    fullName: 'string',
    phone: 'string?',
    username: 'string?',
    ...ORIGIN,
  }),
  login: credentials<LoginPayload, LoginResult>('auth.login', {
    email: 'string?',
    username: 'string?',
    password: 'string',
    totpCode: 'string?',
    recoveryCode: 'string?',
    ...ORIGIN,
  }),
  refresh: identity<RefreshPayload, LoginResult>('auth.refresh', { refreshToken: 'string', ...ORIGIN }),
  logout: identity<RequestOrigin>('auth.logout', ORIGIN),
  verifyEmail: identity<TokenPayload>('auth.verify-email', { tokenHash: 'string', ...ORIGIN }),
  forgotPassword: identity<ForgotPasswordPayload, { message: string }>('auth.forgot-password', { email: 'string', ...ORIGIN }),
  resetPassword: credentials<ResetPasswordPayload, { userId: string }>('auth.reset-password', {
    tokenHash: 'string',
    newPassword: 'string',
    keepApiKeys: 'boolean?',
    ...ORIGIN,
  }),
  changePassword: credentials<ChangePasswordPayload>('auth.change-password', {
    currentPassword: 'string',
    newPassword: 'string',
    keepApiKeys: 'boolean?',
    ...ORIGIN,
  }),
  /** The signed-in user's password, checked again before a sensitive change (a PIN reset). */
  reauthenticate: credentials<ReauthenticatePayload, Record<string, never>>('auth.reauthenticate', { password: 'string', ...ORIGIN }),
  checkSession: identity<CheckSessionPayload, ResolvedPrincipal>('auth.check-session', { userId: 'uuid', sessionId: 'string' }),
  getMe: identity<NoPayload, UserView>('user.me', {}),
  updateProfile: identity<UpdateProfilePayload & RequestOrigin, UserView>('user.update-profile', {
    fullName: 'string?',
    phone: 'string?',
    username: 'string?',
    timeZone: 'string?',
    defaultCurrency: 'string?',
    language: 'string?',
    theme: 'string?',
    ...ORIGIN,
  }),
  listSessions: identity<ListQuery, Page<SessionView>>('session.list', {}),
  revokeSession: identity<{ sessionId: string } & RequestOrigin>('session.revoke', { sessionId: 'uuid', ...ORIGIN }),
  createApiKey: identity<CreateApiKeyPayload, CreatedApiKey | ApiKeyView>('api-key.create', {
    name: 'string',
    scopes: 'string[]',
    expiresAt: 'string?',
    ...ORIGIN,
  }),
  listApiKeys: identity<ListQuery, Page<ApiKeyView>>('api-key.list', {}),
  revokeApiKey: identity<{ apiKeyId: string } & RequestOrigin>('api-key.revoke', { apiKeyId: 'uuid', ...ORIGIN }),
  resolveApiKey: identity<{ key: string }, ResolvedPrincipal>('api-key.resolve', { key: 'string' }),
  mfaStatus: identity<NoPayload, MfaStatusView>('mfa.status', {}),
  mfaEnrolTotp: identity<RequestOrigin, TotpEnrolment>('mfa.totp.enrol', ORIGIN),
  mfaConfirmTotp: identity<SecondFactorPayload, RecoveryCodes>('mfa.totp.confirm', SECOND_FACTOR),
  mfaDisableTotp: identity<SecondFactorPayload>('mfa.totp.disable', SECOND_FACTOR),
  mfaRegenerateRecoveryCodes: identity<SecondFactorPayload, RecoveryCodes>('mfa.recovery-codes.regenerate', SECOND_FACTOR),
  adminListUsers: identity<AdminListUsersQuery & AdminUserSearch, Page<AdminUserView>>('admin.users.list', {
    q: 'string?',
    walletOwnerIds: 'string[]?',
  }),
  adminSetStatus: identity<AdminSetStatusPayload, AdminUserView>('admin.users.set-status', {
    userId: 'uuid',
    status: 'string',
    reason: 'string?',
    ...ORIGIN,
  }),
  adminSetRoles: identity<AdminSetRolesPayload, AdminUserView>('admin.users.set-roles', { userId: 'uuid', roles: 'string[]', ...ORIGIN }),
  adminGetUser: identity<{ userId: string }, AdminUserRecordView>('admin.users.get', { userId: 'uuid' }),
};

export const USER_ROLES = ['user', 'admin', 'auditor'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const USER_STATUSES = ['active', 'suspended', 'closed'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * What an API key may do. A route that accepts X-API-Key names the one scope it needs; routes that
 * name none (account, sessions, keys, admin) accept only a person's access token.
 */
export const API_KEY_SCOPES = ['wallets:read', 'transactions:read', 'payments:write', 'transfers:write', 'refunds:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Where a request came from, recorded in the security audit trail. */
export interface RequestOrigin {
  ip?: string;
  userAgent?: string;
}

/** The languages the apps are translated into (the FinTrac seed's list). */
export const PROFILE_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt'] as const;
export const PROFILE_THEMES = ['light', 'dark'] as const;

/** PATCH /v1/me: only the fields sent change; phone, username and defaultCurrency may be set to null to clear them. */
export interface UpdateProfilePayload {
  fullName?: string;
  phone?: string | null;
  username?: string | null;
  timeZone?: string;
  defaultCurrency?: string | null;
  language?: string;
  theme?: string;
}

export interface RegisterPayload extends RequestOrigin {
  email: string;
  password: string;
  fullName: string;
  phone?: string;
  username?: string;
}

/** Roles whose powers need a session opened with a second factor (TOTP or a recovery code). */
export const SECOND_FACTOR_ROLES: readonly UserRole[] = ['admin', 'auditor'];

export type SecondFactor = 'totp' | 'recovery_code';

export interface LoginPayload extends RequestOrigin {
  email?: string;
  username?: string;
  password: string;
  /** The current 6-digit code of the account's authenticator, for accounts with TOTP. */
  totpCode?: string;
  /** One of the account's recovery codes instead of a TOTP code; each works once. */
  recoveryCode?: string;
}

export interface ChangePasswordPayload extends RequestOrigin {
  currentPassword: string;
  newPassword: string;
  /** API keys are revoked with the sessions unless this is true. */
  keepApiKeys?: boolean;
}

export interface ReauthenticatePayload extends RequestOrigin {
  password: string;
}

/** A TOTP code, or a recovery code, proving the second factor for an MFA change. */
export interface SecondFactorPayload extends RequestOrigin {
  code: string;
}

export interface TotpEnrolment {
  /** Base32 seed, shown this once; the same as in the URI. */
  secret: string;
  /** otpauth://totp/… for an authenticator app (or a QR code of it). */
  otpauthUri: string;
}

export interface RecoveryCodes {
  /** Shown this once; each code signs in once in place of a TOTP code. */
  recoveryCodes: string[];
}

export interface MfaStatusView {
  totp: { enabled: boolean; pendingEnrolment: boolean; confirmedAt: string | null };
  recoveryCodesLeft: number;
  /** The account holds a role (admin, auditor) that needs a second factor. */
  requiredForRoles: boolean;
}

export interface RefreshPayload extends RequestOrigin {
  refreshToken: string;
}

/** An emailed token, as its SHA-256 digest (libs/auth tokenDigest): the gateway never forwards the token itself. */
export interface TokenPayload extends RequestOrigin {
  tokenHash: string;
}

export interface ForgotPasswordPayload extends RequestOrigin {
  email: string;
}

export interface ResetPasswordPayload extends RequestOrigin {
  /** The reset token's SHA-256 digest (see TokenPayload). */
  tokenHash: string;
  newPassword: string;
  /** API keys are revoked with the sessions unless this is true. */
  keepApiKeys?: boolean;
}

export interface CheckSessionPayload {
  userId: string;
  sessionId: string;
}

/** Who an access token or API key speaks for right now. */
export interface ResolvedPrincipal {
  userId: string;
  roles: string[];
  status: UserStatus;
  sessionId?: string;
  apiKeyId?: string;
  scopes?: string[];
}

export interface UserView {
  id: string;
  email: string;
  username: string | null;
  fullName: string;
  phone: string | null;
  roles: string[];
  status: string;
  emailVerified: boolean;
  /** IANA name; the apps show times in it. */
  timeZone: string;
  /** The currency totals are shown in; null until chosen (the platform's base currency then). */
  defaultCurrency: string | null;
  language: (typeof PROFILE_LANGUAGES)[number];
  theme: (typeof PROFILE_THEMES)[number];
  createdAt: string;
}

export interface LoginResult {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresAt: string;
  /** When the session ends whatever refreshes happen (SESSION_ABSOLUTE_LIFETIME_HOURS after login). */
  sessionExpiresAt: string;
  /** The second factor this session was opened with, if any. */
  secondFactor: SecondFactor | null;
  /**
   * True when the account holds admin or auditor but has no second factor yet: the session has the
   * user role only until TOTP is enrolled and the account signs in with a code.
   */
  mfaEnrolmentRequired: boolean;
  user: UserView;
}

export interface SessionView {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  /** When the session ends whatever refreshes happen. */
  absoluteExpiresAt: string;
  secondFactor: SecondFactor | null;
  /** True for the session the request's own access token belongs to. */
  current: boolean;
}

export interface CreateApiKeyPayload extends RequestOrigin {
  name: string;
  scopes: string[];
  expiresAt?: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it; never enough to use it. */
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The only answer that ever carries the secret. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

export interface AdminUserView {
  id: string;
  /** Masked: the first character of the local part and the domain. */
  email: string;
  username: string | null;
  fullName: string;
  phone: string | null;
  roles: string[];
  status: string;
  emailVerified: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface AdminListUsersQuery {
  limit?: number;
  offset?: number;
  sortBy?: string;
  sortOrder?: string;
  status?: string;
  role?: string;
  /** Search: part of the email, name or username (case-insensitive). */
  q?: string;
  /** With q: these users match too (the owners of wallets whose number matched, found by the ledger). */
  walletOwnerIds?: string[];
}

export interface AdminSetStatusPayload extends RequestOrigin {
  userId: string;
  status: UserStatus;
  reason?: string;
}

export interface AdminSetRolesPayload extends RequestOrigin {
  userId: string;
  roles: string[];
}
