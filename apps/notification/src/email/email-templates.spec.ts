import { EmailTokenIssuedV2 } from '@tally/contracts';
import { composeTokenEmail, SECRET_PLACEHOLDER } from './email-templates';

const base: Pick<EmailTokenIssuedV2, 'fullName' | 'purpose' | 'expiresAt'> = {
  fullName: 'Ann Example',
  purpose: 'verify_email',
  expiresAt: '2026-01-01T12:00:00.000Z',
};
const LINKS = 'https://tally.example/app';

describe('composeTokenEmail', () => {
  it('a verification email has the link and the token as placeholders, the name and the expiry', () => {
    const email = composeTokenEmail(base, LINKS);
    expect(email.template).toBe('verify_email');
    expect(email.subject).toBe('Confirm your email for Tally');
    expect(email.body).toContain(`https://tally.example/app#/verify-email?token=${SECRET_PLACEHOLDER}`);
    expect(email.body).toContain(`\n\n${SECRET_PLACEHOLDER}\n\n`);
    expect(email.body).toContain('Hello Ann Example');
    expect(email.body).toContain('Thu, 01 Jan 2026 12:00:00 GMT');
  });

  it('a reset email says it signs out everywhere, and keeps the secret out of the subject', () => {
    const email = composeTokenEmail({ ...base, purpose: 'reset_password' }, LINKS);
    expect(email.template).toBe('password_reset');
    expect(email.body).toContain(`#/reset-password?token=${SECRET_PLACEHOLDER}`);
    expect(email.body).toContain('signs you out everywhere');
    expect(email.subject).not.toContain(SECRET_PLACEHOLDER);
  });

  it('a name cannot carry the placeholder (the token goes only where the template puts it)', () => {
    const email = composeTokenEmail({ ...base, fullName: `Eve ${SECRET_PLACEHOLDER}` }, LINKS);
    expect(email.body.split(SECRET_PLACEHOLDER)).toHaveLength(3);
  });

  it('an unknown purpose is an error (the event goes to the dead-letter topic, not a blank email)', () => {
    expect(() => composeTokenEmail({ ...base, purpose: 'other' as EmailTokenIssuedV2['purpose'] }, LINKS)).toThrow('no email template');
  });
});
