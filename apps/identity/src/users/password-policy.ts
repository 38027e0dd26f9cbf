/**
 * Minimum password strength for registration, reset and the bootstrap admin: 10 to 128
 * characters (NIST 800-63B allows long passphrases), letters and digits, and not built from the
 * account's own email or username.
 */
export function passwordProblem(password: string, account: { email?: string; username?: string | null } = {}): string | undefined {
  if (password.length < 10 || password.length > 128) return 'must be 10 to 128 characters';
  if (!/[a-zA-Z]/.test(password) || !/\d/.test(password)) return 'must contain letters and digits';
  if (new Set(password).size < 4) return 'must use at least 4 different characters';
  const lower = password.toLowerCase();
  const names = [account.email?.split('@')[0], account.username ?? undefined].filter((n): n is string => !!n && n.length >= 3);
  if (names.some((name) => lower.includes(name.toLowerCase()))) return 'must not contain your email or username';
  return undefined;
}
