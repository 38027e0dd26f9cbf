import { EmailTokenIssuedV2 } from '@tally/contracts';

export interface ComposedEmail {
  template: string;
  subject: string;
  body: string;
}

/**
 * Where an email's single-use token goes. The body is stored with this placeholder; the sender
 * opens the sealed token and fills it in only while sending, then stores the body with
 * SECRET_REMOVED instead, so no readable copy of the link stays behind.
 */
export const SECRET_PLACEHOLDER = '{{secret}}';
export const SECRET_REMOVED = '[removed after sending]';

/** The text of an identity email; the token (and the link made of it) only as the placeholder. */
export function composeTokenEmail(data: Pick<EmailTokenIssuedV2, 'fullName' | 'purpose' | 'expiresAt'>, linkBaseUrl: string): ComposedEmail {
  const expires = new Date(data.expiresAt).toUTCString();
  // A name is the user's own text: it must not be able to pull the token into another place.
  const name = data.fullName.replaceAll('{{', '{ {');
  // The token rides in the fragment, which browsers never send to a server (no access logs hold it).
  const link = (page: string) => `${linkBaseUrl}#/${page}?token=${SECRET_PLACEHOLDER}`;
  if (data.purpose === 'reset_password') {
    return {
      template: 'password_reset',
      subject: 'Reset your Tally password',
      body:
        `Hello ${name},\n\nSomeone asked to reset the password of your Tally account. If it was you, open\n${link('reset-password')}\n` +
        `or send this token to POST /v1/auth/reset-password with your new password:\n\n${SECRET_PLACEHOLDER}\n\n` +
        `It works once, until ${expires}. Resetting signs you out everywhere. If it was not you, ignore this email.`,
    };
  }
  if (data.purpose === 'verify_email') {
    return {
      template: 'verify_email',
      subject: 'Confirm your email for Tally',
      body:
        `Hello ${name},\n\nConfirm this email address: open\n${link('verify-email')}\n` +
        `or send this token to POST /v1/auth/verify-email:\n\n${SECRET_PLACEHOLDER}\n\nIt works once, until ${expires}.`,
    };
  }
  throw new Error(`no email template for purpose ${String(data.purpose)}`);
}
