import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, PaymentPayload, TransactionView } from '@tally/contracts';
import { Messaging } from '@tally/messaging';
import { isSupportedCurrency, parseAmount } from '@tally/money';
import { FxRatesService } from '../fx/fx-rates.service';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { WalletRow } from '../wallets/wallets.repository';
import { WalletsService } from '../wallets/wallets.service';
import { WalletDebitService } from './wallet-debit.service';

/** Lower-case words joined by underscores, e.g. food_beverage (the seed's categories). */
const MERCHANT_CATEGORY = /^[a-z][a-z0-9_]{1,49}$/;

export interface PreparedPayment {
  wallet: WalletRow;
  /** In the purchase currency. */
  amount: bigint;
  currency: string;
  merchantName: string;
  merchantCategory: string;
  description?: string;
  scope: string;
  hash: string;
}

/**
 * A purchase at a merchant, held as a pending entry until fraud decides (like a transfer). A purchase
 * in another currency than the wallet's is converted at the stored rate (FxRatesService) through
 * the FX position accounts; the wallet is debited the converted amount, rounded half-up.
 */
@Injectable()
export class CreatePaymentHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly walletsService: WalletsService,
    private readonly idempotency: IdempotencyRepository,
    private readonly fx: FxRatesService,
    private readonly debits: WalletDebitService,
    private readonly messaging: Messaging,
  ) {}

  async execute(actor: Actor, input: PaymentPayload, idempotencyKey: string): Promise<TransactionView> {
    const payment = await this.prepare(actor, input);
    const earlier = await this.idempotency.find(payment.scope, idempotencyKey, 'payment.create', payment.hash);
    if (earlier.replay) return earlier.response as TransactionView;
    await this.walletsService.verifyPin(payment.wallet, input.pin);
    return this.post(payment, idempotencyKey);
  }

  /** Checks what can be checked without locks: ownership, amount in its currency, merchant fields. */
  async prepare(actor: Actor, input: Omit<PaymentPayload, 'pin'> & { pin?: string }): Promise<PreparedPayment> {
    const wallet = await this.walletsService.owned(actor, input.walletId);
    const currency = input.currency ?? wallet.currency;
    if (!isSupportedCurrency(currency)) {
      throw new DomainError('VALIDATION_FAILED', 'currency must be a supported ISO 4217 code', { currency });
    }
    const amount = parseAmount(input.amount, currency);
    // The bounds apply to the amount as asked, in the currency it is asked in.
    this.walletsService.checkTransactionBounds(amount, currency);
    const merchantName = typeof input.merchantName === 'string' ? input.merchantName.trim() : '';
    if (merchantName.length < 1 || merchantName.length > 100) {
      throw new DomainError('VALIDATION_FAILED', 'merchantName must be 1 to 100 characters');
    }
    if (typeof input.merchantCategory !== 'string' || !MERCHANT_CATEGORY.test(input.merchantCategory)) {
      throw new DomainError('VALIDATION_FAILED', 'merchantCategory must be 2 to 50 lower-case letters, digits or underscores, e.g. food_beverage');
    }
    if (input.description !== undefined && (typeof input.description !== 'string' || input.description.length > 500)) {
      throw new DomainError('VALIDATION_FAILED', 'description must be text of at most 500 characters');
    }
    const { pin: _pin, ...rest } = input;
    return {
      wallet,
      amount,
      currency,
      merchantName,
      merchantCategory: input.merchantCategory,
      description: input.description,
      scope: `user:${actor.userId}`,
      hash: requestHash('payment.create', rest),
    };
  }

  /** Once the PIN is checked: convert at the rate in force now, then hold the funds in one transaction. */
  async post(payment: PreparedPayment, idempotencyKey: string): Promise<TransactionView> {
    const { wallet, amount, currency, scope, hash } = payment;
    const fx = currency === wallet.currency ? undefined : await this.fx.convert(amount, currency, wallet.currency);
    if (fx && fx.convertedMinor === 0n) {
      throw new DomainError('INVALID_AMOUNT', `The amount is less than the smallest unit of ${wallet.currency} once converted`, {
        rate: fx.rate,
      });
    }
    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'payment.create', hash);
      if (claim.replay) return claim.response as TransactionView;
      return this.debits.hold(
        manager,
        {
          type: 'purchase',
          userId: wallet.user_id,
          walletId: wallet.id,
          walletCurrency: wallet.currency,
          amount: fx ? fx.convertedMinor : amount,
          description: payment.description,
          merchantName: payment.merchantName,
          merchantCategory: payment.merchantCategory,
          fx,
        },
        { scope, key: idempotencyKey },
      );
    });
    this.messaging.published();
    return view;
  }
}
