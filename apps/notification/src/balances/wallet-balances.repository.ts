import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface WalletBalanceRow {
  wallet_id: string;
  user_id: string;
  currency: string;
  available_minor: string;
  complete: boolean;
}

export interface LowBalanceCrossing {
  walletId: string;
  userId: string;
  currency: string;
  availableMinor: bigint;
  thresholdMinor: bigint;
}

/**
 * Each wallet's available balance (posted credits − posted debits − held debits) projected from
 * ledger.events, for low-balance alerts only: the ledger stays the source of truth for money.
 */
@Injectable()
export class WalletBalancesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * From wallet.opened: the projection has the wallet's whole history, so its figure is exact.
   * wallet.opened is keyed by the wallet and movements by its account, so they may land on different
   * partitions and a movement may come first: changes add up in any order, so it only marks the row.
   */
  async open(manager: EntityManager, walletId: string, userId: string, currency: string): Promise<void> {
    await manager.query(
      `INSERT INTO notification.wallet_balances (wallet_id, user_id, currency, available_minor, complete)
       VALUES ($1, $2, $3, 0, true) ON CONFLICT (wallet_id) DO UPDATE SET complete = true, updated_at = now()`,
      [walletId, userId, currency],
    );
  }

  /** Adds a signed change; a wallet first seen here stays incomplete until its wallet.opened arrives. */
  async add(manager: EntityManager, walletId: string, userId: string, currency: string, deltaMinor: bigint): Promise<void> {
    await manager.query(
      `INSERT INTO notification.wallet_balances (wallet_id, user_id, currency, available_minor, complete)
       VALUES ($1, $2, $3, $4, false)
       ON CONFLICT (wallet_id) DO UPDATE SET available_minor = wallet_balances.available_minor + EXCLUDED.available_minor, updated_at = now()`,
      [walletId, userId, currency, deltaMinor.toString()],
    );
  }

  /**
   * Compares the wallet's balance with its owner's threshold. After a posted debit (`debit`) it
   * answers the crossing when the balance just went below, and marks it, so there is one alert per
   * crossing (a redelivery changes nothing: the inbox skips it before this runs). After anything
   * else it only re-arms the alert once the balance is back at or above the threshold.
   */
  async checkLow(manager: EntityManager, walletId: string, debit: boolean): Promise<LowBalanceCrossing | undefined> {
    const rows: { user_id: string; currency: string; available_minor: string; threshold_minor: string; was_below: boolean }[] = await manager.query(
      `SELECT b.user_id, b.currency, b.available_minor, t.threshold_minor, t.below AS was_below
         FROM notification.wallet_balances b
         JOIN notification.low_balance_thresholds t ON t.wallet_id = b.wallet_id AND t.user_id = b.user_id
        WHERE b.wallet_id = $1 AND b.complete
        FOR UPDATE OF t`,
      [walletId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const available = BigInt(row.available_minor);
    const threshold = BigInt(row.threshold_minor);
    const below = available < threshold;
    if (below && !debit) return undefined;
    if (below !== row.was_below) {
      await manager.query(`UPDATE notification.low_balance_thresholds SET below = $2 WHERE wallet_id = $1`, [walletId, below]);
    }
    if (!below || row.was_below) return undefined;
    return { walletId, userId: row.user_id, currency: row.currency, availableMinor: available, thresholdMinor: threshold };
  }

  /** The caller's wallets among ids (ownership: another user's wallet is simply not found). */
  async ownedWallets(manager: EntityManager, userId: string, walletIds: string[]): Promise<WalletBalanceRow[]> {
    if (walletIds.length === 0) return [];
    return manager.query(
      `SELECT wallet_id, user_id, currency, available_minor::text, complete FROM notification.wallet_balances
        WHERE user_id = $1 AND wallet_id = ANY($2::uuid[])`,
      [userId, walletIds],
    );
  }

  async thresholdsOf(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ wallet_id: string; threshold_minor: string; currency: string }[]> {
    return manager.query(`SELECT wallet_id, threshold_minor::text, currency FROM notification.low_balance_thresholds WHERE user_id = $1 ORDER BY wallet_id`, [
      userId,
    ]);
  }

  /** Replaces the user's thresholds; `below` starts as the balance stands, so setting one never alerts by itself. */
  async replaceThresholds(manager: EntityManager, userId: string, thresholds: { walletId: string; thresholdMinor: bigint; currency: string }[]): Promise<void> {
    await manager.query(`DELETE FROM notification.low_balance_thresholds WHERE user_id = $1`, [userId]);
    for (const t of thresholds) {
      await manager.query(
        `INSERT INTO notification.low_balance_thresholds (wallet_id, user_id, threshold_minor, currency, below)
         SELECT $1::uuid, $2::uuid, $3::bigint, $4::text, coalesce((SELECT available_minor < $3::bigint FROM notification.wallet_balances WHERE wallet_id = $1 AND complete), false)`,
        [t.walletId, userId, t.thresholdMinor.toString(), t.currency],
      );
    }
  }
}
