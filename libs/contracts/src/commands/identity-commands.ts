export const IdentityCommands = {
  register: 'auth.register',
  login: 'auth.login',
  refresh: 'auth.refresh',
  logout: 'auth.logout',
  verifyEmail: 'auth.verify-email',
  forgotPassword: 'auth.forgot-password',
  resetPassword: 'auth.reset-password',
  /** POST /v1/me/password: the current password, then a new one; the caller's other sessions end. */
  changePassword: 'auth.change-password',
  /**
   * The actor's password checked again (argon2, counted toward the lockout like a failed login):
   * answers `{}` or UNAUTHENTICATED with details.reason INVALID_CREDENTIALS (ACCOUNT_LOCKED once locked).
   * The gateway's Reauthenticator calls it before sensitive changes (e.g. a PIN reset).
   */
  reauthenticate: 'auth.reauthenticate',
  /** The gateway's per-request check that an access token's session is still live (and the user's current roles and status). */
  checkSession: 'auth.check-session',
  getMe: 'user.me',
  listSessions: 'session.list',
  revokeSession: 'session.revoke',
  createApiKey: 'api-key.create',
  listApiKeys: 'api-key.list',
  revokeApiKey: 'api-key.revoke',
  /** The gateway resolves an X-API-Key header to its owner and scopes. */
  resolveApiKey: 'api-key.resolve',
  mfaStatus: 'mfa.status',
  /** Starts (or restarts) TOTP enrolment: the seed is shown once, as an otpauth URI. */
  mfaEnrolTotp: 'mfa.totp.enrol',
  /** A first code from the authenticator confirms the enrolment and answers the recovery codes, once. */
  mfaConfirmTotp: 'mfa.totp.confirm',
  mfaDisableTotp: 'mfa.totp.disable',
  mfaRegenerateRecoveryCodes: 'mfa.recovery-codes.regenerate',
  adminListUsers: 'admin.users.list',
  adminSetStatus: 'admin.users.set-status',
  adminSetRoles: 'admin.users.set-roles',
  /** One user's record for the admin page: the user, live sessions, recent security events. */
  adminGetUser: 'admin.users.get',
} as const;

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
