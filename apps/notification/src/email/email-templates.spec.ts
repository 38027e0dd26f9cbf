import { EmailTokenIssuedV1 } from '@tally/contracts';
import { composeTokenEmail } from './email-templates';

const base: EmailTokenIssuedV1 = {
  userId: '0192e4a0-7b1c-7def-8abc-0123456789ab',
  email: 'ann@example.com',
  fullName: 'Ann Example',
  purpose: 'verify_email',
  token: 'tok-123_abc',
  expiresAt: '2026-01-01T12:00:00.000Z',
};

describe('composeTokenEmail', () => {
  it('a verification email carries the token, the name and the expiry', () => {
    const email = composeTokenEmail(base);
    expect(email.template).toBe('verify_email');
    expect(email.subject).toBe('Confirm your email for Tally');
    expect(email.body).toContain('tok-123_abc');
    expect(email.body).toContain('Hello Ann Example');
    expect(email.body).toContain('Thu, 01 Jan 2026 12:00:00 GMT');
  });

  it('a reset email says it signs out everywhere, and keeps the token out of the subject', () => {
    const email = composeTokenEmail({ ...base, purpose: 'reset_password' });
    expect(email.template).toBe('password_reset');
    expect(email.body).toContain('tok-123_abc');
    expect(email.body).toContain('signs you out everywhere');
    expect(email.subject).not.toContain('tok-123_abc');
  });

  it('an unknown purpose is an error (the event goes to the dead-letter topic, not a blank email)', () => {
    expect(() => composeTokenEmail({ ...base, purpose: 'other' as EmailTokenIssuedV1['purpose'] })).toThrow('no email template');
  });
});
