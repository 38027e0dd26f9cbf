import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, isUuid, NotificationPreferencesView } from '@tally/contracts';
import { formatAmount, InvalidAmountError, parseAmount } from '@tally/money';
import { WalletBalancesRepository } from '../balances/wallet-balances.repository';
import { checkEventChannels, effectivePreferences, mergeEventChannels, PreferenceProblem } from './notification-preferences';
import { PreferencesRepository } from './preferences.repository';

const MAX_THRESHOLDS = 100;

@Injectable()
export class PreferencesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly preferences: PreferencesRepository,
    private readonly balances: WalletBalancesRepository,
  ) {}

  async get(actor: Actor): Promise<NotificationPreferencesView> {
    const { events, updatedAt } = await this.preferences.eventsOf(actor.userId);
    const thresholds = await this.balances.thresholdsOf(actor.userId);
    return {
      events: effectivePreferences(events),
      thresholds: { lowBalance: Object.fromEntries(thresholds.map((t) => [t.wallet_id, formatAmount(BigInt(t.threshold_minor), t.currency)])) },
      updatedAt: updatedAt ? new Date(updatedAt).toISOString() : null,
    };
  }

  /**
   * Changes the channels of the event types named (others keep theirs) and, when thresholds.lowBalance
   * is given, replaces the low-balance thresholds with it (walletId → amount in the wallet's
   * currency; {} removes them all). All or nothing: any problem changes nothing.
   */
  async put(actor: Actor, body: unknown): Promise<NotificationPreferencesView> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new DomainError('VALIDATION_FAILED', 'The body must be an object with events and/or thresholds');
    }
    const { events, thresholds, ...rest } = body as { events?: unknown; thresholds?: unknown };
    const problems: PreferenceProblem[] = Object.keys(rest).map((field) => ({ field, problem: 'unknown field (events, thresholds)' }));
    const checked = checkEventChannels(events);
    problems.push(...checked.problems);
    let lowBalance: Record<string, unknown> | undefined;
    if (thresholds !== undefined) {
      if (typeof thresholds !== 'object' || thresholds === null || Array.isArray(thresholds)) {
        problems.push({ field: 'thresholds', problem: 'must be an object' });
      } else {
        const { lowBalance: given, ...other } = thresholds as { lowBalance?: unknown };
        for (const field of Object.keys(other)) problems.push({ field: `thresholds.${field}`, problem: 'unknown threshold (lowBalance)' });
        if (given !== undefined) {
          if (typeof given !== 'object' || given === null || Array.isArray(given)) {
            problems.push({ field: 'thresholds.lowBalance', problem: 'must be an object of walletId → amount' });
          } else {
            lowBalance = given as Record<string, unknown>;
            if (Object.keys(lowBalance).length > MAX_THRESHOLDS)
              problems.push({ field: 'thresholds.lowBalance', problem: `at most ${MAX_THRESHOLDS} wallets` });
            for (const walletId of Object.keys(lowBalance)) {
              if (!isUuid(walletId)) problems.push({ field: `thresholds.lowBalance.${walletId}`, problem: 'must be keyed by wallet id' });
            }
          }
        }
      }
    }
    if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', 'The notification preferences are not valid', { problems });

    await this.dataSource.transaction(async (manager) => {
      if (lowBalance) {
        const walletIds = Object.keys(lowBalance);
        const owned = new Map((await this.balances.ownedWallets(manager, actor.userId, walletIds)).map((w) => [w.wallet_id, w]));
        const rows = walletIds.map((walletId) => {
          const wallet = owned.get(walletId);
          // Someone else's wallet, or one not known yet, is simply not found.
          if (!wallet) throw new DomainError('NOT_FOUND', 'Wallet not found', { walletId });
          try {
            return { walletId, thresholdMinor: parseAmount(lowBalance[walletId], wallet.currency), currency: wallet.currency };
          } catch (err) {
            if (err instanceof InvalidAmountError) throw new DomainError('INVALID_AMOUNT', err.message, { field: `thresholds.lowBalance.${walletId}` });
            throw err;
          }
        });
        await this.balances.replaceThresholds(manager, actor.userId, rows);
      }
      const stored = await this.preferences.lockEvents(manager, actor.userId);
      await this.preferences.saveEvents(manager, actor.userId, mergeEventChannels(stored, checked.overrides));
    });
    return this.get(actor);
  }
}
