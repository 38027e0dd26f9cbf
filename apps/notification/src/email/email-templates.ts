import { EmailTokenIssuedV1 } from '@tally/contracts';

export interface ComposedEmail {
  template: string;
  subject: string;
  body: string;
}

/** The text of an identity email; the token goes into the body and nowhere else. */
export function composeTokenEmail(data: EmailTokenIssuedV1): ComposedEmail {
  const expires = new Date(data.expiresAt).toUTCString();
  if (data.purpose === 'reset_password') {
    return {
      template: 'password_reset',
      subject: 'Reset your Tally password',
      body:
        `Hello ${data.fullName},\n\nSomeone asked to reset the password of your Tally account. If it was you, ` +
        `send this token to POST /v1/auth/reset-password with your new password:\n\n${data.token}\n\n` +
        `It works once, until ${expires}. Resetting signs you out everywhere. If it was not you, ignore this email.`,
    };
  }
  if (data.purpose === 'verify_email') {
    return {
      template: 'verify_email',
      subject: 'Confirm your email for Tally',
      body: `Hello ${data.fullName},\n\nConfirm this email address by sending this token to POST /v1/auth/verify-email:\n\n${data.token}\n\nIt works once, until ${expires}.`,
    };
  }
  throw new Error(`no email template for purpose ${String(data.purpose)}`);
}
