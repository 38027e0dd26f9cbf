import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '@tally/database';

export interface TotpRow {
  user_id: string;
  secret_encrypted: string;
  created_at: Date;
  confirmed_at: Date | null;
  last_used_step: string | null;
}

/** A user's TOTP seed (encrypted) and recovery codes (hashed). */
@Injectable()
export class MfaRepository {
  constructor(private readonly dataSource: DataSource) {}

  async totp(userId: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<TotpRow | undefined> {
    const rows: TotpRow[] = await manager.query(`SELECT * FROM identity.user_totp WHERE user_id = $1${lock ? ' FOR UPDATE' : ''}`, [userId]);
    return rows[0];
  }

  /** Stores a new unconfirmed seed, replacing an unconfirmed one; undefined when TOTP is already confirmed. */
  async startEnrolment(manager: EntityManager, userId: string, secretEncrypted: string): Promise<TotpRow | undefined> {
    const rows: TotpRow[] = await manager.query(
      `INSERT INTO identity.user_totp AS t (user_id, secret_encrypted) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, created_at = now(), last_used_step = NULL
        WHERE t.confirmed_at IS NULL
       RETURNING *`,
      [userId, secretEncrypted],
    );
    return rows[0];
  }

  /** Sets a confirmed seed at once (the bootstrap admin's dev seed); leaves a confirmed one alone. */
  async setConfirmed(manager: EntityManager, userId: string, secretEncrypted: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO identity.user_totp AS t (user_id, secret_encrypted, confirmed_at) VALUES ($1, $2, now())
       ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, confirmed_at = now(), last_used_step = NULL
        WHERE t.confirmed_at IS NULL
       RETURNING user_id`,
      [userId, secretEncrypted],
    );
    return rows.length > 0;
  }

  async confirm(manager: EntityManager, userId: string, step: number): Promise<void> {
    await manager.query(`UPDATE identity.user_totp SET confirmed_at = now(), last_used_step = $2 WHERE user_id = $1`, [userId, step]);
  }

  /** Records a code's time step as used; false if it (or a later one) was used already, so a code works once. */
  async useStep(manager: EntityManager, userId: string, step: number): Promise<boolean> {
    const rows = returningRows(
      await manager.query(
        `UPDATE identity.user_totp SET last_used_step = $2
        WHERE user_id = $1 AND (last_used_step IS NULL OR last_used_step < $2) RETURNING user_id`,
        [userId, step],
      ),
    );
    return rows.length > 0;
  }

  async remove(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM identity.recovery_codes WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM identity.user_totp WHERE user_id = $1`, [userId]);
  }

  async replaceRecoveryCodes(manager: EntityManager, userId: string, hashes: string[]): Promise<void> {
    await manager.query(`DELETE FROM identity.recovery_codes WHERE user_id = $1`, [userId]);
    await manager.query(`INSERT INTO identity.recovery_codes (code_hash, user_id) SELECT unnest($2::text[]), $1`, [userId, hashes]);
  }

  /** Uses a recovery code up; false if it is not this user's or was used before. */
  async useRecoveryCode(manager: EntityManager, userId: string, hash: string): Promise<boolean> {
    const rows = returningRows(
      await manager.query(`UPDATE identity.recovery_codes SET used_at = now() WHERE code_hash = $1 AND user_id = $2 AND used_at IS NULL RETURNING code_hash`, [
        hash,
        userId,
      ]),
    );
    return rows.length > 0;
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM identity.recovery_codes WHERE user_id = $1 AND used_at IS NULL`, [
      userId,
    ]);
    return rows[0].n;
  }
}
