export const IdentityCommands = {
  register: 'auth.register',
  login: 'auth.login',
  getMe: 'user.me',
} as const;

export interface RegisterPayload {
  email: string;
  password: string;
  fullName: string;
  phone?: string;
  username?: string;
}

export interface LoginPayload {
  email?: string;
  username?: string;
  password: string;
  userAgent?: string;
  ip?: string;
}

export interface UserView {
  id: string;
  email: string;
  username: string | null;
  fullName: string;
  phone: string | null;
  roles: string[];
  status: string;
  createdAt: string;
}

export interface LoginResult {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresAt: string;
  user: UserView;
}
