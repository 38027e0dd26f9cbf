import { ApiError } from './api';

/**
 * Whether a refused sign-in asks for the second factor: identity answers a right password on an
 * account with TOTP (every admin and auditor) with 401 and `details.reason` MFA_REQUIRED. The page
 * then shows a code field and signs in again with `totpCode`.
 */
export function asksForSecondFactor(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && err.details?.reason === 'MFA_REQUIRED';
}
