import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  Actor,
  ChangePinPayload,
  DomainError,
  isUuid,
  requireRole,
  ResetPinPayload,
  UnlockPinPayload,
  WalletPinChangedV1,
  WalletPinUnlockedV1,
  WalletStatusChangedV1,
  WalletView,
} from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { formatAmount } from '@tally/money';
import { AccountsRepository } from '../accounts/accounts.repository';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { currentLock, judgePin, pinPolicy, withLegacyPinCheck } from '../pins/pin-check';
import { hashPin, pinWeakness } from '../pins/pin-codec';
import { WalletRow, WalletsRepository } from './wallets.repository';
import { WalletsService } from './wallets.service';

export type WalletStatusChange = 'freeze' | 'unfreeze' | 'close';

/** Where each change leads, and from which statuses it may start. */
const TRANSITIONS: Record<WalletStatusChange, { to: WalletRow['status']; from: WalletRow['status'][] }> = {
  freeze: { to: 'frozen', from: ['active'] },
  unfreeze: { to: 'active', from: ['frozen'] },
  close: { to: 'closed', from: ['active', 'frozen'] },
};

/**
 * The owner's changes to a wallet after it is opened: a new PIN, freeze, unfreeze and close.
 * Every change locks the wallet row (the lock a spending command takes), so none of them
 * interleaves with money leaving the wallet.
 */
@Injectable()
export class WalletLifecycleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly walletsService: WalletsService,
    private readonly wallets: WalletsRepository,
    private readonly accounts: AccountsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly messaging: Messaging,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /**
   * A wrong old PIN counts toward the lock exactly as at a transfer (under the wallet's row lock).
   * Repeating a change that succeeded is refused as INVALID_PIN (the old PIN is no longer right)
   * unless the repeat carries the same Idempotency-Key: then it succeeds again when its new PIN is
   * the wallet's PIN now. The PINs are left out of the key's request hash.
   */
  async changePin(actor: Actor, input: ChangePinPayload, idempotencyKey?: string): Promise<void> {
    const wallet = await this.walletsService.owned(actor, input.walletId);
    const weak = pinWeakness(input.newPin);
    if (weak) throw new DomainError('VALIDATION_FAILED', `newPin ${weak}`, { field: 'newPin' });
    if (input.newPin === input.oldPin) throw new DomainError('VALIDATION_FAILED', 'newPin must differ from oldPin');
    const scope = `user:${actor.userId}`;
    const hash = requestHash('wallet.changePin', { walletId: wallet.id });
    if (idempotencyKey) {
      const earlier = await this.idempotency.find(scope, idempotencyKey, 'wallet.changePin', hash);
      if (earlier.replay) return this.confirmPin(wallet.id, input.newPin);
    }
    if (wallet.status === 'closed') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is closed');
    await withLegacyPinCheck(input.oldPin, async (legacy) => {
      const refusal = await runLedgerTransaction(this.dataSource, async (manager) => {
        if (idempotencyKey) {
          const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'wallet.changePin', hash);
          if (claim.replay) return undefined;
        }
        const locked = await this.wallets.lockById(manager, wallet.id);
        if (!locked || locked.status === 'closed') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is closed');
        const judgement = judgePin(locked, input.oldPin, pinPolicy(this.config), new Date(), legacy);
        // A miss is stored and committed, then the change is refused.
        if (judgement.refusal) {
          if (judgement.update) await this.wallets.updatePin(manager, judgement.update);
          return judgement.refusal;
        }
        await this.wallets.updatePin(manager, { id: wallet.id, failedAttempts: 0, lockedUntil: null, pinHash: hashPin(input.newPin, this.config.pinKeys) });
        await this.announcePinChange(manager, locked, 'change');
        if (idempotencyKey) await this.idempotency.complete(manager, scope, idempotencyKey, { walletId: wallet.id });
        return undefined;
      });
      if (refusal) throw refusal;
    });
    this.messaging.published();
  }

  /**
   * The owner sets a new PIN without the old one (the gateway sends this only after identity
   * confirmed the account password): the count of misses and any lock end.
   */
  async resetPin(actor: Actor, input: ResetPinPayload): Promise<void> {
    const wallet = await this.walletsService.owned(actor, input.walletId);
    const weak = pinWeakness(input.newPin);
    if (weak) throw new DomainError('VALIDATION_FAILED', `newPin ${weak}`, { field: 'newPin' });
    await runLedgerTransaction(this.dataSource, async (manager) => {
      const locked = await this.wallets.lockById(manager, wallet.id);
      if (!locked || locked.status === 'closed') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is closed');
      await this.wallets.updatePin(manager, { id: wallet.id, failedAttempts: 0, lockedUntil: null, pinHash: hashPin(input.newPin, this.config.pinKeys) });
      await this.announcePinChange(manager, locked, 'reset');
    });
    this.messaging.published();
  }

  /** An admin ends a wallet's PIN lock, with a reason; announced as wallet.pin_unlocked (the audit log keeps it). */
  async unlockPin(actor: Actor, input: UnlockPinPayload): Promise<WalletView> {
    requireRole(actor, 'admin');
    if (typeof input.reason !== 'string' || input.reason.trim().length === 0 || input.reason.length > 500) {
      throw new DomainError('VALIDATION_FAILED', 'reason is required (at most 500 characters)', { field: 'reason' });
    }
    const wallet = isUuid(input.walletId) ? await this.wallets.findById(input.walletId) : undefined;
    if (!wallet) throw new DomainError('NOT_FOUND', 'Wallet not found');
    const unlocked = await runLedgerTransaction(this.dataSource, async (manager) => {
      const locked = (await this.wallets.lockById(manager, wallet.id)) as WalletRow;
      const now = new Date();
      const lockEnd = currentLock(locked, pinPolicy(this.config));
      await this.wallets.updatePin(manager, { id: locked.id, failedAttempts: 0, lockedUntil: null });
      await enqueueEvent(manager, 'ledger', WalletPinUnlockedV1, {
        source: 'ledger',
        subject: locked.account_id,
        data: {
          walletId: locked.id,
          walletNumber: locked.wallet_number,
          userId: locked.user_id,
          unlockedBy: actor.userId,
          reason: input.reason.trim(),
          failedAttempts: locked.failed_pin_attempts,
          wasLocked: lockEnd !== undefined && lockEnd > now,
          unlockedAt: now.toISOString(),
        },
      });
      return (await this.wallets.findById(locked.id, manager)) as WalletRow;
    });
    this.messaging.published();
    return this.walletsService.view(unlocked);
  }

  /** After a replayed change: the new PIN must be the wallet's PIN now (a miss counts like any other). */
  private async confirmPin(walletId: string, pin: string): Promise<void> {
    const refusal = await runLedgerTransaction(this.dataSource, async (manager) => {
      const locked = (await this.wallets.lockById(manager, walletId)) as WalletRow;
      const judgement = judgePin(locked, pin, pinPolicy(this.config), new Date());
      if (judgement.update) await this.wallets.updatePin(manager, judgement.update);
      return judgement.refusal;
    });
    if (refusal) throw refusal;
  }

  private async announcePinChange(manager: EntityManager, wallet: WalletRow, method: 'change' | 'reset'): Promise<void> {
    await enqueueEvent(manager, 'ledger', WalletPinChangedV1, {
      source: 'ledger',
      subject: wallet.account_id,
      data: { walletId: wallet.id, walletNumber: wallet.wallet_number, userId: wallet.user_id, changedAt: new Date().toISOString(), method },
    });
  }

  /**
   * Freeze (no money in or out until unfrozen; still readable), unfreeze, or close (final; only
   * when the wallet holds nothing and has nothing pending: WALLET_NOT_EMPTY otherwise). Asking for
   * the status a wallet already has answers the wallet unchanged; a closed wallet changes no more
   * (WALLET_NOT_ACTIVE).
   */
  async changeStatus(actor: Actor, walletId: string, change: WalletStatusChange, reason?: string): Promise<WalletView> {
    const owned = await this.walletsService.owned(actor, walletId);
    const transition = TRANSITIONS[change];
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 200)) {
      throw new DomainError('VALIDATION_FAILED', 'reason must be text of at most 200 characters');
    }
    const result = await runLedgerTransaction(this.dataSource, async (manager) => {
      const wallet = await this.wallets.lockForStatusChange(manager, owned.id);
      if (!wallet) throw new DomainError('NOT_FOUND', 'Wallet not found');
      if (wallet.status === transition.to) return { wallet, changed: false };
      if (!transition.from.includes(wallet.status)) {
        throw new DomainError('WALLET_NOT_ACTIVE', `A ${wallet.status} wallet cannot be ${transition.to === 'active' ? 'unfrozen' : transition.to}`, {
          status: wallet.status,
        });
      }
      // The lock above waited for every posting in flight to this wallet (the database's guard
      // takes KEY SHARE on the wallet row), so the balance read here includes them; a posting that
      // comes later waits for this change and is refused if the wallet is now closed. A transfer
      // that read the receiver as active just before a freeze may still land after it; one that
      // starts after the freeze is refused.
      const balance = (await this.accounts.balances(manager, [wallet.account_id])).get(wallet.account_id);
      if (transition.to === 'closed') this.assertEmpty(wallet, balance);
      const updated = await this.wallets.setStatus(manager, wallet.id, transition.to);
      await enqueueEvent(manager, 'ledger', WalletStatusChangedV1, {
        source: 'ledger',
        subject: wallet.account_id,
        data: {
          walletId: wallet.id,
          walletNumber: wallet.wallet_number,
          userId: wallet.user_id,
          previousStatus: wallet.status,
          status: transition.to,
          reason: reason ?? null,
          changedAt: new Date(updated.updated_at).toISOString(),
        },
      });
      return { wallet: updated, changed: true };
    });
    if (result.changed) this.messaging.published();
    return this.walletsService.view(result.wallet);
  }

  private assertEmpty(
    wallet: WalletRow,
    balance: { posted_debits: string; posted_credits: string; pending_debits: string; pending_credits: string } | undefined,
  ): void {
    const posted = balance ? BigInt(balance.posted_credits) - BigInt(balance.posted_debits) : 0n;
    const pendingOut = balance ? BigInt(balance.pending_debits) : 0n;
    const pendingIn = balance ? BigInt(balance.pending_credits) : 0n;
    if (posted !== 0n || pendingOut !== 0n || pendingIn !== 0n) {
      const money = (minor: bigint) => formatAmount(minor, wallet.currency);
      throw new DomainError('WALLET_NOT_EMPTY', 'Only a wallet with a zero balance and nothing pending can be closed', {
        balance: money(posted),
        pendingIn: money(pendingIn),
        pendingOut: money(pendingOut),
      });
    }
  }
}
