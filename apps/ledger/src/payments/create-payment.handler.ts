import { Inject, Injectable } from '@nestjs/common';
import { Actor, DomainError, PaymentPayload, TransactionView } from '@tally/contracts';
import { isSupportedCurrency, parseAmount } from '@tally/money';
import { AccountsRepository } from '../accounts/accounts.repository';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { FxConversion } from '../fx/rate-book';
import { requestHash } from '../idempotency/idempotency.repository';
import { PostingInput } from '../journal/journal.repository';
import { checkBaseCurrencyMaximum, checkTransactionBounds } from '../limits/transaction-bounds';
import { withLegacyPinCheck } from '../pins/pin-check';
import { PostingKernel } from '../posting/posting-kernel';
import { WalletDirectory } from '../posting/wallet-directory';
import { checkDebit, debitPolicy, holdDebit } from './wallet-debit';

/** Lower-case words joined by underscores, e.g. food_beverage (the seed's categories). */
const MERCHANT_CATEGORY = /^[a-z][a-z0-9_]{1,49}$/;

/**
 * A purchase at a merchant, held as a pending entry until fraud decides (like a transfer). A
 * purchase in another currency than the wallet's is converted at the batch's rate through the FX
 * position accounts; the wallet is debited the converted amount, rounded half-up.
 */
@Injectable()
export class CreatePaymentHandler {
  constructor(
    private readonly kernel: PostingKernel,
    private readonly directory: WalletDirectory,
    private readonly accounts: AccountsRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(actor: Actor, input: PaymentPayload, idempotencyKey: string): Promise<TransactionView> {
    const source = await this.directory.owned(actor, input.walletId);
    const currency = input.currency ?? source.currency;
    if (!isSupportedCurrency(currency)) {
      throw new DomainError('VALIDATION_FAILED', 'currency must be a supported ISO 4217 code', { currency });
    }
    const amount = parseAmount(input.amount, currency);
    // The bounds apply to the amount as asked, in the currency it is asked in.
    checkTransactionBounds(amount, currency, this.config.transactionBounds);
    const merchantName = typeof input.merchantName === 'string' ? input.merchantName.trim() : '';
    if (merchantName.length < 1 || merchantName.length > 100) {
      throw new DomainError('VALIDATION_FAILED', 'merchantName must be 1 to 100 characters');
    }
    const merchantCategory = input.merchantCategory;
    if (typeof merchantCategory !== 'string' || !MERCHANT_CATEGORY.test(merchantCategory)) {
      throw new DomainError('VALIDATION_FAILED', 'merchantCategory must be 2 to 50 lower-case letters, digits or underscores, e.g. food_beverage');
    }
    if (input.description !== undefined && (typeof input.description !== 'string' || input.description.length > 500)) {
      throw new DomainError('VALIDATION_FAILED', 'description must be text of at most 500 characters');
    }
    const foreign = currency !== source.currency;
    const accounts = {
      merchant: await this.accounts.systemAccount('merchant_settlement', currency),
      walletFx: foreign ? await this.accounts.systemAccount('fx_position', source.currency) : '',
      paidFx: foreign ? await this.accounts.systemAccount('fx_position', currency) : '',
    };
    const { pin, ...rest } = input;
    const policy = debitPolicy(this.config);
    return withLegacyPinCheck(pin, (legacy) =>
      this.kernel.submit({
        kind: 'purchase',
        needs: {
          claim: { scope: `user:${actor.userId}`, key: idempotencyKey, command: 'payment.create', hash: requestHash('payment.create', rest) },
          users: [actor.userId],
          wallets: [source.id],
          spendingOf: [source.id],
        },
        decide: (ctx) => {
          checkBaseCurrencyMaximum(amount, currency, this.config.transactionBounds, ctx.rates);
          // Converted at the rate in force for this batch; the snapshot stays on the entry and the row.
          const fx = foreign ? ctx.rates.convert(amount, currency, source.currency) : undefined;
          if (fx && fx.convertedMinor === 0n) {
            throw new DomainError('INVALID_AMOUNT', `The amount is less than the smallest unit of ${source.currency} once converted`, { rate: fx.rate });
          }
          const debit = fx ? fx.convertedMinor : amount;
          const { wallet, inBase } = checkDebit(ctx, actor, source.id, pin, debit, policy, legacy);
          return holdDebit(ctx, wallet, inBase, {
            type: 'purchase',
            amount: debit,
            fee: 0n,
            description: input.description,
            legs: purchaseLegs(fx, debit, amount, wallet.currency, currency, accounts),
            row: { merchantName, merchantCategory, fx: fx && { originalAmount: fx.amountMinor, originalCurrency: fx.from, rate: fx.rate } },
            metadata: { merchantName, merchantCategory, ...(fx ? { fx: rateSnapshot(fx) } : {}) },
          });
        },
      }),
    );
  }
}

/**
 * The credit side of the wallet's debit, balanced per currency: merchant settlement in the wallet's
 * currency W; or, for a purchase of X in C from a wallet in W, credit FX position W (the converted
 * amount), debit FX position C and credit merchant settlement C (X each).
 */
function purchaseLegs(
  fx: FxConversion | undefined,
  debit: bigint,
  paid: bigint,
  walletCurrency: string,
  paidIn: string,
  accounts: { merchant: string; walletFx: string; paidFx: string },
): PostingInput[] {
  if (!fx) return [{ accountId: accounts.merchant, direction: 'C', amount: debit, currency: walletCurrency }];
  return [
    { accountId: accounts.walletFx, direction: 'C', amount: debit, currency: walletCurrency },
    { accountId: accounts.paidFx, direction: 'D', amount: paid, currency: paidIn },
    { accountId: accounts.merchant, direction: 'C', amount: paid, currency: paidIn },
  ];
}

function rateSnapshot(fx: FxConversion): Record<string, unknown> {
  return {
    originalAmount: fx.amountMinor.toString(),
    originalCurrency: fx.from,
    convertedAmount: fx.convertedMinor.toString(),
    walletCurrency: fx.to,
    rate: fx.rate,
    quote: fx.quote,
    inverted: fx.inverted,
    source: fx.source,
    rounding: 'half-up to the wallet currency minor unit',
  };
}
