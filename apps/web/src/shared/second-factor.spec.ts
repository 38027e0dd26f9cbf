import { ApiError } from './api';
import { asksForSecondFactor } from './second-factor';

describe('asksForSecondFactor', () => {
  it('a right password on an account with TOTP asks for it', () => {
    expect(asksForSecondFactor(new ApiError(401, 'UNAUTHENTICATED', 'This account needs its second factor', { reason: 'MFA_REQUIRED' }))).toBe(true);
  });

  it.each([
    ['a wrong code', new ApiError(401, 'UNAUTHENTICATED', 'Invalid credentials', { reason: 'MFA_INVALID' })],
    ['a wrong password', new ApiError(401, 'UNAUTHENTICATED', 'Invalid credentials')],
    ['a locked account', new ApiError(423, 'ACCOUNT_LOCKED', 'Too many attempts')],
    ['a network failure', new Error('offline')],
  ])('%s does not', (_name, err) => {
    expect(asksForSecondFactor(err)).toBe(false);
  });
});
