export const IdentityCommands = {
  register: 'auth.register',
  login: 'auth.login',
  refresh: 'auth.refresh',
  logout: 'auth.logout',
  verifyEmail: 'auth.verify-email',
  forgotPassword: 'auth.forgot-password',
  resetPassword: 'auth.reset-password',
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
  adminListUsers: 'admin.users.list',
  adminSetStatus: 'admin.users.set-status',
  adminSetRoles: 'admin.users.set-roles',
} as const;

export const USER_ROLES = ['user', 'admin', 'auditor'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const USER_STATUSES = ['active', 'suspended', 'closed'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * What an API key may do. A route that accepts X-API-Key names the one scope it needs; routes that
 * name none (account, sessions, keys, admin) accept only a person's access token.
 */
export const API_KEY_SCOPES = ['wallets:read', 'transactions:read', 'payments:write', 'transfers:write'] as const;
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

export interface LoginPayload extends RequestOrigin {
  email?: string;
  username?: string;
  password: string;
}

export interface RefreshPayload extends RequestOrigin {
  refreshToken: string;
}

export interface TokenPayload extends RequestOrigin {
  token: string;
}

export interface ForgotPasswordPayload extends RequestOrigin {
  email: string;
}

export interface ResetPasswordPayload extends RequestOrigin {
  token: string;
  newPassword: string;
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
  user: UserView;
}

export interface SessionView {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
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
