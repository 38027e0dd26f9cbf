import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EmailTokenIssuedV1, EmailTokenPurpose } from '@tally/contracts';
import { returningRows } from '@tally/database';
import { enqueueEvent } from '@tally/messaging';
import { hashToken, newOpaqueToken } from '../tokens/opaque-token';

/** Single-use, expiring tokens sent by email (verification, password reset); stored only as hashes. */
@Injectable()
export class EmailTokensRepository {
  /**
   * Makes a token, stores its hash, and asks notification (user.email-token-issued on identity.events,
   * same transaction) to email it. A new token of a purpose retires the user's earlier unused ones.
   */
  async issue(
    manager: EntityManager,
    user: { id: string; email: string; full_name: string },
    purpose: EmailTokenPurpose,
    ttlSeconds: number,
  ): Promise<void> {
    const token = newOpaqueToken();
    await manager.query(
      `UPDATE identity.user_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [user.id, purpose],
    );
    const rows: { expires_at: Date }[] = await manager.query(
      `INSERT INTO identity.user_tokens (token_hash, user_id, purpose, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
      [hashToken(token), user.id, purpose, ttlSeconds],
    );
    await enqueueEvent(manager, 'identity', EmailTokenIssuedV1, {
      source: 'identity',
      subject: user.id,
      data: { userId: user.id, email: user.email, fullName: user.full_name, purpose, token, expiresAt: new Date(rows[0].expires_at).toISOString() },
    });
  }

  /** Uses the token up if it is of this purpose, unused and unexpired; the user it was for, else undefined. */
  async consume(manager: EntityManager, token: string, purpose: EmailTokenPurpose): Promise<string | undefined> {
    const rows = returningRows<{ user_id: string }>(await manager.query(
      `UPDATE identity.user_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`,
      [hashToken(token), purpose],
    ));
    return rows[0]?.user_id;
  }
}
