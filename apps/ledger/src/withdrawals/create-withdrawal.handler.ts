import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, TransactionView, WithdrawalPayload } from '@tally/contracts';
import { Messaging } from '@tally/messaging';
import { parseAmount } from '@tally/money';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { WalletDebitService } from '../payments/wallet-debit.service';
import { WalletRow } from '../wallets/wallets.repository';
import { WalletsService } from '../wallets/wallets.service';

export interface PreparedWithdrawal {
  wallet: WalletRow;
  amount: bigint;
  description?: string;
  scope: string;
  hash: string;
}

/**
 * Money out of a wallet to the external funding source (the reverse of a deposit): debit the
 * wallet, credit funding. No fee (the wallet seed charges none on debits). Held as a pending entry
 * until fraud decides, like a transfer.
 */
@Injectable()
export class CreateWithdrawalHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly walletsService: WalletsService,
    private readonly idempotency: IdempotencyRepository,
    private readonly debits: WalletDebitService,
    private readonly messaging: Messaging,
  ) {}

  async execute(actor: Actor, input: WithdrawalPayload, idempotencyKey: string): Promise<TransactionView> {
    const withdrawal = await this.prepare(actor, input);
    const earlier = await this.idempotency.find(withdrawal.scope, idempotencyKey, 'withdrawal.create', withdrawal.hash);
    if (earlier.replay) return earlier.response as TransactionView;
    await this.walletsService.verifyPin(withdrawal.wallet, input.pin);
    return this.post(withdrawal, idempotencyKey);
  }

  /** Checks what can be checked without locks: ownership and the amount in the wallet's currency. */
  async prepare(actor: Actor, input: Omit<WithdrawalPayload, 'pin'> & { pin?: string }): Promise<PreparedWithdrawal> {
    const wallet = await this.walletsService.owned(actor, input.walletId);
    const amount = parseAmount(input.amount, wallet.currency);
    this.walletsService.checkTransactionBounds(amount, wallet.currency);
    if (input.description !== undefined && (typeof input.description !== 'string' || input.description.length > 500)) {
      throw new DomainError('VALIDATION_FAILED', 'description must be text of at most 500 characters');
    }
    const { pin: _pin, ...rest } = input;
    return {
      wallet,
      amount,
      description: input.description,
      scope: `user:${actor.userId}`,
      hash: requestHash('withdrawal.create', rest),
    };
  }

  async post(withdrawal: PreparedWithdrawal, idempotencyKey: string): Promise<TransactionView> {
    const { wallet, amount, scope, hash } = withdrawal;
    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'withdrawal.create', hash);
      if (claim.replay) return claim.response as TransactionView;
      return this.debits.hold(
        manager,
        {
          type: 'withdrawal',
          userId: wallet.user_id,
          walletId: wallet.id,
          walletCurrency: wallet.currency,
          amount,
          description: withdrawal.description,
        },
        { scope, key: idempotencyKey },
      );
    });
    this.messaging.published();
    return view;
  }
}
