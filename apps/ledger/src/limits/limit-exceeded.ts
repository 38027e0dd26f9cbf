import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, WalletLimitReachedV1 } from '@tally/contracts';
import { enqueueEvent } from '@tally/messaging';
import { WalletRow } from '../wallets/wallets.repository';

const logger = new Logger('LimitReached');

/**
 * A debit refused by a spending limit (422 LIMIT_EXCEEDED). What it carries is announced as
 * wallet.limit_reached once the refused command's transaction has rolled back (see
 * runLedgerTransaction): the refusal itself writes nothing.
 */
export class LimitExceeded extends DomainError {
  constructor(
    message: string,
    details: Record<string, unknown>,
    readonly reached: Omit<WalletLimitReachedV1, 'occurredAt'>,
  ) {
    super('LIMIT_EXCEEDED', message, details);
  }
}

/** The wallet's own daily and monthly limits, for a debit of `debitMinor` (fee included) on top of what it has spent. */
export function checkWalletLimits(wallet: WalletRow, spent: { daily: bigint; monthly: bigint }, debitMinor: bigint): void {
  const limits = [
    ['daily', spent.daily, BigInt(wallet.daily_limit)],
    ['monthly', spent.monthly, BigInt(wallet.monthly_limit)],
  ] as const;
  for (const [limit, used, cap] of limits) {
    if (used + debitMinor > cap) {
      throw new LimitExceeded(`The ${limit} limit would be exceeded`, { limit }, {
        userId: wallet.user_id,
        walletId: wallet.id,
        limit,
        limitMinor: cap.toString(),
        currency: wallet.currency,
        attemptedMinor: debitMinor.toString(),
      });
    }
  }
}

/** Writes wallet.limit_reached in a transaction of its own; a failure is logged and never hides the refusal. */
export async function announceLimitReached(dataSource: DataSource, refusal: LimitExceeded): Promise<void> {
  try {
    await dataSource.transaction((manager) =>
      enqueueEvent(manager, 'ledger', WalletLimitReachedV1, {
        source: 'ledger',
        subject: refusal.reached.walletId,
        data: { ...refusal.reached, occurredAt: new Date().toISOString() },
      }),
    );
  } catch (err) {
    logger.warn({ msg: 'limit.reached not announced', walletId: refusal.reached.walletId, error: (err as Error).message });
  }
}
