import { Client } from 'pg';
import { waitFor } from '@tally/testing';
import { TEST_DATABASE_URL } from '../stack-env';

/**
 * Reads the emails notification "sent" (its development transport stores them) and takes the
 * single-use token out of the newest one of a template to this address.
 */
export async function emailedToken(to: string, template: 'verify_email' | 'password_reset', after?: Date): Promise<string> {
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    return await waitFor(
      async () => {
        const rows = await db.query(
          `SELECT body FROM notification.emails WHERE to_address = $1 AND template = $2 AND created_at >= $3 ORDER BY created_at DESC LIMIT 1`,
          [to, template, after ?? new Date(0)],
        );
        const token = /^([A-Za-z0-9_-]{43})$/m.exec(rows.rows[0]?.body ?? '')?.[1];
        return token;
      },
      { what: `a ${template} email to ${to}`, timeoutMs: 15_000 },
    );
  } finally {
    await db.end();
  }
}

export async function emailCount(to: string): Promise<number> {
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    const rows = await db.query(`SELECT count(*)::int AS n FROM notification.emails WHERE to_address = $1`, [to]);
    return rows.rows[0].n;
  } finally {
    await db.end();
  }
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
