import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '@tally/database';
import { spendingWindow } from '../limits/spending-window';

export interface WalletRow {
  id: string;
  wallet_number: string;
  user_id: string;
  account_id: string;
  currency: string;
  status: 'active' | 'frozen' | 'closed';
  pin_hash: string;
  failed_pin_attempts: number;
  /** When a PIN lock ends (null: not locked, or locked before locks ended; see pins/pin-check.ts). */
  pin_locked_until: Date | string | null;
  daily_limit: string;
  monthly_limit: string;
  /** IANA name: the limits count the calendar day and month of this zone. */
  time_zone: string;
  /** The holder's own name for it, or null. */
  name: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Transaction types that take money out of a wallet and count against its limits. */
export const SPENDING_TYPES = ['transfer_out', 'purchase', 'withdrawal'];

@Injectable()
export class WalletsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    wallet: {
      id: string;
      walletNumber: string;
      userId: string;
      accountId: string;
      currency: string;
      pinHash: string;
      dailyLimit: bigint;
      monthlyLimit: bigint;
      timeZone: string;
      name: string | null;
    },
  ): Promise<WalletRow> {
    const rows: WalletRow[] = await manager.query(
      `INSERT INTO ledger.wallets (id, wallet_number, user_id, account_id, currency, pin_hash, daily_limit, monthly_limit, time_zone, name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        wallet.id,
        wallet.walletNumber,
        wallet.userId,
        wallet.accountId,
        wallet.currency,
        wallet.pinHash,
        wallet.dailyLimit.toString(),
        wallet.monthlyLimit.toString(),
        wallet.timeZone,
        wallet.name,
      ],
    );
    return rows[0];
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<WalletRow | undefined> {
    const rows: WalletRow[] = await manager.query(`SELECT * FROM ledger.wallets WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Serialises money leaving one wallet, so limits hold under concurrent requests. */
  async lockById(manager: EntityManager, id: string): Promise<WalletRow | undefined> {
    // NO KEY UPDATE: it still serialises spenders but does not block the key-share locks taken by
    // foreign keys from rows that merely reference this wallet (a deadlock source otherwise).
    const rows: WalletRow[] = await manager.query(`SELECT * FROM ledger.wallets WHERE id = $1 FOR NO KEY UPDATE`, [id]);
    return rows[0];
  }

  /**
   * For a status change: FOR UPDATE, the one lock that conflicts with the KEY SHARE lock the
   * database's closed-wallet guard takes for every posting to the wallet, so the change waits for
   * postings in flight and postings that come later wait for the change.
   */
  async lockForStatusChange(manager: EntityManager, id: string): Promise<WalletRow | undefined> {
    const rows: WalletRow[] = await manager.query(`SELECT * FROM ledger.wallets WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  async findByNumber(manager: EntityManager, walletNumber: string): Promise<WalletRow | undefined> {
    const rows: WalletRow[] = await manager.query(`SELECT * FROM ledger.wallets WHERE wallet_number = $1`, [walletNumber]);
    return rows[0];
  }

  async listByUser(userId: string): Promise<WalletRow[]> {
    return this.dataSource.query(`SELECT * FROM ledger.wallets WHERE user_id = $1 ORDER BY created_at`, [userId]);
  }

  /** The PIN bookkeeping of a wallet the caller holds locked (misses, lock end, a new hash). */
  async updatePin(manager: EntityManager, update: { id: string; failedAttempts: number; lockedUntil: string | null; pinHash?: string }): Promise<void> {
    await manager.query(
      `UPDATE ledger.wallets SET failed_pin_attempts = $2, pin_locked_until = $3, pin_hash = coalesce($4, pin_hash), updated_at = now() WHERE id = $1`,
      [update.id, update.failedAttempts, update.lockedUntil, update.pinHash ?? null],
    );
  }

  /**
   * Amount plus fees of pending and completed spending since the start of the current calendar day
   * and month in the wallet's time zone. Pass the wallet row when you have it (saves a look-up).
   */
  async spent(
    manager: EntityManager,
    wallet: string | Pick<WalletRow, 'id' | 'time_zone'>,
    now: Date = new Date(),
  ): Promise<{ daily: bigint; monthly: bigint }> {
    const row = typeof wallet === 'string' ? await this.findById(wallet, manager) : wallet;
    if (!row) return { daily: 0n, monthly: 0n };
    const walletId = row.id;
    const { dayStart, monthStart } = spendingWindow(now, row.time_zone);
    const rows: { daily: string; monthly: string }[] = await manager.query(
      `SELECT coalesce(sum(amount + fee) FILTER (WHERE created_at >= $2), 0) AS daily,
              coalesce(sum(amount + fee), 0) AS monthly
         FROM ledger.transactions
        WHERE wallet_id = $1 AND created_at >= $3 AND type = ANY($4) AND status IN ('pending', 'completed')`,
      [walletId, dayStart, monthStart, SPENDING_TYPES],
    );
    return { daily: BigInt(rows[0].daily), monthly: BigInt(rows[0].monthly) };
  }

  /** A wallet's name and limits (PATCH /v1/wallets/{id}); the caller holds the row lock. */
  async setSettings(manager: EntityManager, id: string, settings: { name: string | null; dailyLimit: bigint; monthlyLimit: bigint }): Promise<WalletRow> {
    const rows = returningRows<WalletRow>(
      await manager.query(`UPDATE ledger.wallets SET name = $2, daily_limit = $3, monthly_limit = $4, updated_at = now() WHERE id = $1 RETURNING *`, [
        id,
        settings.name,
        settings.dailyLimit.toString(),
        settings.monthlyLimit.toString(),
      ]),
    );
    return rows[0];
  }

  async setStatus(manager: EntityManager, id: string, status: WalletRow['status']): Promise<WalletRow> {
    const rows = returningRows<WalletRow>(
      await manager.query(`UPDATE ledger.wallets SET status = $2, updated_at = now() WHERE id = $1 RETURNING *`, [id, status]),
    );
    return rows[0];
  }
}
