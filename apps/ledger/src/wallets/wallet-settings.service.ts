import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, UpdateWalletPayload, WalletSettingsChangedV1, WalletView } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { formatAmount } from '@tally/money';
import { LEDGER_CONFIG, LedgerConfig, walletLimitPolicy } from '../config/ledger.config';
import { FxRatesService } from '../fx/fx-rates.service';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { walletLimits } from '../limits/wallet-limits';
import { WalletsRepository } from './wallets.repository';
import { walletName, WalletsService } from './wallets.service';

/**
 * PATCH /v1/wallets/{id}: the holder renames a wallet or sets its daily and monthly limits, each at
 * most the platform's cap in the wallet's currency and the daily one at most the monthly one. The
 * change takes the wallet's row lock, so a debit being posted finishes under the old limits and
 * the next one meets the new ones; a closed wallet cannot change.
 */
@Injectable()
export class WalletSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly walletsService: WalletsService,
    private readonly wallets: WalletsRepository,
    private readonly fx: FxRatesService,
    private readonly messaging: Messaging,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async update(actor: Actor, input: UpdateWalletPayload): Promise<WalletView> {
    const owned = await this.walletsService.owned(actor, input.walletId);
    const name = walletName(input.name);
    const limitsAsked = input.dailyLimit !== undefined || input.monthlyLimit !== undefined;
    // The rates value the caps; a rename alone needs none.
    const rates = limitsAsked ? await this.fx.current() : undefined;
    const result = await runLedgerTransaction(this.dataSource, async (manager) => {
      const wallet = await this.wallets.lockForStatusChange(manager, owned.id);
      if (!wallet) throw new DomainError('NOT_FOUND', 'Wallet not found');
      if (wallet.status === 'closed') throw new DomainError('WALLET_NOT_ACTIVE', 'A closed wallet cannot be changed', { status: wallet.status });
      const money = (minor: string) => formatAmount(BigInt(minor), wallet.currency);
      // The limit left out keeps its value, and is checked with the new one (daily at most monthly).
      const limits = rates
        ? walletLimits(
            wallet.currency,
            { daily: input.dailyLimit ?? money(wallet.daily_limit), monthly: input.monthlyLimit ?? money(wallet.monthly_limit) },
            walletLimitPolicy(this.config),
            rates,
          )
        : { daily: BigInt(wallet.daily_limit), monthly: BigInt(wallet.monthly_limit) };
      const next = { name: name === undefined ? wallet.name : name, dailyLimit: limits.daily, monthlyLimit: limits.monthly };
      const changed = [
        ...(next.name !== wallet.name ? ['name'] : []),
        ...(next.dailyLimit !== BigInt(wallet.daily_limit) ? ['dailyLimit'] : []),
        ...(next.monthlyLimit !== BigInt(wallet.monthly_limit) ? ['monthlyLimit'] : []),
      ];
      if (changed.length === 0) return { wallet, changed };
      const updated = await this.wallets.setSettings(manager, wallet.id, next);
      await enqueueEvent(manager, 'ledger', WalletSettingsChangedV1, {
        source: 'ledger',
        subject: wallet.account_id,
        data: {
          walletId: wallet.id,
          walletNumber: wallet.wallet_number,
          userId: wallet.user_id,
          name: updated.name,
          dailyLimit: money(updated.daily_limit),
          monthlyLimit: money(updated.monthly_limit),
          currency: wallet.currency,
          changed,
          changedAt: new Date(updated.updated_at).toISOString(),
        },
      });
      return { wallet: updated, changed };
    });
    if (result.changed.length > 0) this.messaging.published();
    return this.walletsService.view(result.wallet);
  }
}
