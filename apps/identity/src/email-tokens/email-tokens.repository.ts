import { Inject, Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { sealFor, x25519PublicKey } from '@tally/auth';
import { EmailTokenIssuedV2, emailTokenSealContext, EmailTokenPurpose } from '@tally/contracts';
import { returningRows } from '@tally/database';
import { enqueueEvent } from '@tally/messaging';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { hashToken, newOpaqueToken } from '../tokens/opaque-token';

/** Single-use, expiring tokens sent by email (verification, password reset); stored only as hashes. */
@Injectable()
export class EmailTokensRepository {
  private readonly notificationKey: KeyObject;

  constructor(@Inject(IDENTITY_CONFIG) config: IdentityConfig) {
    this.notificationKey = x25519PublicKey(config.emailLinkPublicKey);
  }

  /**
   * Makes a token, stores its hash, and asks notification (user.email-token-issued v2 on
   * identity.events, same transaction) to email it, the token sealed to notification's public key:
   * from here on identity cannot read it either. A new token of a purpose retires the user's
   * earlier unused ones.
   */
  async issue(manager: EntityManager, user: { id: string; email: string; full_name: string }, purpose: EmailTokenPurpose, ttlSeconds: number): Promise<void> {
    const token = newOpaqueToken();
    await manager.query(`UPDATE identity.user_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, [user.id, purpose]);
    const rows: { expires_at: Date }[] = await manager.query(
      `INSERT INTO identity.user_tokens (token_hash, user_id, purpose, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
      [hashToken(token), user.id, purpose, ttlSeconds],
    );
    const sealedToken = sealFor(this.notificationKey, token, emailTokenSealContext({ userId: user.id, purpose }));
    await enqueueEvent(manager, 'identity', EmailTokenIssuedV2, {
      source: 'identity',
      subject: user.id,
      data: { userId: user.id, email: user.email, fullName: user.full_name, purpose, sealedToken, expiresAt: new Date(rows[0].expires_at).toISOString() },
    });
  }

  /** The user a usable token (by digest; this purpose, unused, unexpired) is for, without using it up. */
  async peek(manager: EntityManager, tokenHash: string, purpose: EmailTokenPurpose): Promise<string | undefined> {
    const rows: { user_id: string }[] = await manager.query(
      `SELECT user_id FROM identity.user_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
      [tokenHash, purpose],
    );
    return rows[0]?.user_id;
  }

  /** Uses the token (by digest) up if it is of this purpose, unused and unexpired; the user it was for, else undefined. */
  async consume(manager: EntityManager, tokenHash: string, purpose: EmailTokenPurpose): Promise<string | undefined> {
    const rows = returningRows<{ user_id: string }>(
      await manager.query(
        `UPDATE identity.user_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`,
        [tokenHash, purpose],
      ),
    );
    return rows[0]?.user_id;
  }
}
