import { Client } from 'pg';
import { readMailSpool, ReceivedMail, waitFor } from '@tally/testing';
import { TEST_DATABASE_URL, TEST_MAIL_SPOOL } from '../stack-env';

const SUBJECTS = { verify_email: 'Confirm your email for Tally', password_reset: 'Reset your Tally password' } as const;

/** The mail the test stack's SMTP sink received for this address (one per Message-ID), oldest first. */
export function mailTo(to: string): ReceivedMail[] {
  return readMailSpool(TEST_MAIL_SPOOL).filter((m) => m.to.includes(to.toLowerCase()) || m.to.includes(to));
}

/**
 * The single-use token of the newest email of a kind to this address, as it arrived over SMTP
 * (notification sent it; the sink received it): the token is on a line of its own.
 */
export async function emailedToken(to: string, template: 'verify_email' | 'password_reset', after?: Date): Promise<string> {
  return waitFor(
    async () => {
      const mail = mailTo(to)
        .filter((m) => m.subject === SUBJECTS[template] && Date.parse(m.receivedAt) >= (after?.getTime() ?? 0))
        .at(-1);
      return /^([A-Za-z0-9_-]{43})$/m.exec(mail?.text ?? '')?.[1];
    },
    { what: `a ${template} email to ${to}`, timeoutMs: 15_000 },
  );
}

export async function emailCount(to: string): Promise<number> {
  return mailTo(to).length;
}

/** The security audit trail identity keeps for a user, oldest first. */
export async function securityEvents(userId: string): Promise<{ kind: string; ip: string | null; user_agent: string | null }[]> {
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    const rows = await db.query(`SELECT kind, ip, user_agent FROM identity.security_events WHERE user_id = $1 ORDER BY id`, [userId]);
    return rows.rows;
  } finally {
    await db.end();
  }
}
