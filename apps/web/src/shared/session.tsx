import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import type { LoginResult, UserView } from '@tally/contracts';
import { Api, sessionTokenStore } from './api';

interface SessionValue {
  api: Api;
  user: UserView | null;
  signIn(login: { email: string; password: string; code?: string }): Promise<UserView>;
  signOut(): Promise<void>;
  hasRole(...roles: string[]): boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

/** The signed-in user and the API client that carries their token; one per app (its own storage key). */
export function SessionProvider({ storageKey, children }: { storageKey: string; children: ReactNode }) {
  const userKey = `${storageKey}.user`;
  const [user, setUser] = useState<UserView | null>(() => {
    const raw = sessionStorage.getItem(userKey);
    return raw ? (JSON.parse(raw) as UserView) : null;
  });
  const forget = useCallback(() => {
    sessionStorage.removeItem(userKey);
    setUser(null);
  }, [userKey]);
  const tokens = useMemo(() => sessionTokenStore(storageKey), [storageKey]);
  const api = useMemo(() => new Api(tokens, forget), [tokens, forget]);

  const value = useMemo<SessionValue>(
    () => ({
      api,
      user,
      async signIn({ email, password, code }) {
        const result = await api.request<LoginResult>('POST', '/v1/auth/login', {
          body: { email, password, ...(code ? { totpCode: code } : {}) },
          anonymous: true,
        });
        tokens.set({ accessToken: result.accessToken, refreshToken: result.refreshToken });
        sessionStorage.setItem(userKey, JSON.stringify(result.user));
        setUser(result.user);
        return result.user;
      },
      async signOut() {
        try {
          await api.post('/v1/auth/logout');
        } catch {
          // Signed out here whatever the server says: the tokens are dropped below.
        }
        tokens.set(null);
        forget();
      },
      hasRole: (...roles) => !!user && roles.some((r) => user.roles.includes(r)),
    }),
    [api, user, tokens, userKey, forget],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export function useApi(): Api {
  return useSession().api;
}
