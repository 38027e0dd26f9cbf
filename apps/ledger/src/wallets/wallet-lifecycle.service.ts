import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashSecret } from '@tally/auth';
import { Actor, ChangePinPayload, DomainError, WalletPinChangedV1, WalletStatusChangedV1, WalletView } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { formatAmount } from '@tally/money';
import { AccountsRepository } from '../accounts/accounts.repository';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { WalletRow, WalletsRepository } from './wallets.repository';
import { PIN, WalletsService } from './wallets.service';

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
  ) {}

  /**
   * A wrong old PIN counts toward the lock exactly as at a transfer. Repeating a change that
   * succeeded is refused as INVALID_PIN (the old PIN is no longer right) unless the repeat carries
   * the same Idempotency-Key: then it succeeds again when its new PIN is the wallet's PIN now.
   * The PINs are left out of the key's request hash (a hash of four digits is no secret).
   */
  async changePin(actor: Actor, input: ChangePinPayload, idempotencyKey?: string): Promise<void> {
    const wallet = await this.walletsService.owned(actor, input.walletId);
    if (typeof input.newPin !== 'string' || !PIN.test(input.newPin)) {
      throw new DomainError('VALIDATION_FAILED', 'newPin must be 4 to 6 digits');
    }
    if (input.newPin === input.oldPin) throw new DomainError('VALIDATION_FAILED', 'newPin must differ from oldPin');
    const scope = `user:${actor.userId}`;
    const hash = requestHash('wallet.changePin', { walletId: wallet.id });
    if (idempotencyKey) {
      const earlier = await this.idempotency.find(scope, idempotencyKey, 'wallet.changePin', hash);
      if (earlier.replay) return this.walletsService.verifyPin(wallet, input.newPin);
    }
    if (wallet.status === 'closed') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is closed');
    await this.walletsService.verifyPin(wallet, input.oldPin);
    const pinHash = await hashSecret(input.newPin);
    await runLedgerTransaction(this.dataSource, async (manager) => {
      if (idempotencyKey) {
        const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'wallet.changePin', hash);
        if (claim.replay) return;
      }
      const locked = await this.wallets.lockById(manager, wallet.id);
      if (!locked || locked.status === 'closed') throw new DomainError('WALLET_NOT_ACTIVE', 'The wallet is closed');
      // Another change won the race since the old PIN was checked: that PIN is no longer the PIN.
      if (locked.pin_hash !== wallet.pin_hash) throw new DomainError('INVALID_PIN', 'The PIN is not correct');
      await this.wallets.changePin(manager, wallet.id, pinHash);
      await enqueueEvent(manager, 'ledger', WalletPinChangedV1, {
        source: 'ledger',
        subject: wallet.account_id,
        data: { walletId: wallet.id, walletNumber: wallet.wallet_number, userId: wallet.user_id, changedAt: new Date().toISOString() },
      });
      if (idempotencyKey) await this.idempotency.complete(manager, scope, idempotencyKey, { walletId: wallet.id });
    });
    this.messaging.published();
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
