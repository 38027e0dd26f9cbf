import { Inject, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor, BalanceView, DomainError, isUuid, OpenWalletPayload, uuidv7, WalletOpenedV1, WalletView, canonicalTimeZone } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { formatAmount, isSupportedCurrency } from '@tally/money';
import { AccountsRepository, walletFigures } from '../accounts/accounts.repository';
import { LEDGER_CONFIG, LedgerConfig, walletLimitPolicy } from '../config/ledger.config';
import { IdempotencyRepository, requestHash } from '../idempotency/idempotency.repository';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { FxRatesService } from '../fx/fx-rates.service';
import { checkTransactionBounds } from '../limits/transaction-bounds';
import { walletLimitCaps, walletLimits } from '../limits/wallet-limits';
import { hashPin, pinWeakness } from '../pins/pin-codec';
import { WalletRow, WalletsRepository } from './wallets.repository';
import { ledgerEventId } from '../replay/ledger-event-id';

@Injectable()
export class WalletsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly wallets: WalletsRepository,
    private readonly accounts: AccountsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly messaging: Messaging,
    private readonly fx: FxRatesService,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** The most a wallet in this currency may allow a day and a month (the platform's caps), as decimal text. */
  async limitCaps(currency: string): Promise<{ dailyLimit: string; monthlyLimit: string }> {
    const caps = walletLimitCaps(currency, walletLimitPolicy(this.config), await this.fx.current());
    return { dailyLimit: formatAmount(caps.daily, currency), monthlyLimit: formatAmount(caps.monthly, currency) };
  }

  async open(actor: Actor, input: OpenWalletPayload, idempotencyKey: string): Promise<WalletView> {
    if (!isSupportedCurrency(input.currency)) {
      throw new DomainError('VALIDATION_FAILED', 'currency must be a supported ISO 4217 code', { currency: input.currency });
    }
    const weak = pinWeakness(input.pin);
    if (weak) throw new DomainError('VALIDATION_FAILED', `pin ${weak}`, { field: 'pin' });
    const { daily: dailyLimit, monthly: monthlyLimit } = walletLimits(
      input.currency,
      { daily: input.dailyLimit, monthly: input.monthlyLimit },
      walletLimitPolicy(this.config),
      await this.fx.current(),
    );
    const timeZone = input.timeZone === undefined ? this.config.defaultTimeZone : canonicalTimeZone(input.timeZone);
    if (!timeZone) {
      throw new DomainError('VALIDATION_FAILED', 'timeZone must be an IANA time-zone name such as Europe/Berlin', { timeZone: input.timeZone });
    }
    const scope = `user:${actor.userId}`;
    const { pin, ...rest } = input;
    const hash = requestHash('wallet.open', rest);
    const earlier = await this.idempotency.find(scope, idempotencyKey, 'wallet.open', hash);
    if (earlier.replay) return earlier.response as WalletView;
    const pinHash = hashPin(pin, this.config.pinKeys);
    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const claim = await this.idempotency.claim(manager, scope, idempotencyKey, 'wallet.open', hash);
      if (claim.replay) return claim.response as WalletView;
      const accountId = await this.accounts.createWalletAccount(manager, actor.userId, input.currency);
      const wallet = await this.wallets.insert(manager, {
        id: uuidv7(),
        walletNumber: newWalletNumber(),
        userId: actor.userId,
        accountId,
        currency: input.currency,
        pinHash,
        dailyLimit,
        monthlyLimit,
        timeZone,
        name: walletName(input.name) ?? null,
      });
      await enqueueEvent(manager, 'ledger', WalletOpenedV1, {
        id: ledgerEventId(wallet.id, WalletOpenedV1.type),
        source: 'ledger',
        subject: wallet.id,
        data: { walletId: wallet.id, walletNumber: wallet.wallet_number, userId: wallet.user_id, currency: wallet.currency },
      });
      const result = toWalletView(wallet, { balance: 0n, pending: 0n, available: 0n }, { daily: 0n, monthly: 0n });
      await this.idempotency.complete(manager, scope, idempotencyKey, result);
      return result;
    });
    this.messaging.published();
    return view;
  }

  async list(actor: Actor): Promise<WalletView[]> {
    const rows = await this.wallets.listByUser(actor.userId);
    return Promise.all(rows.map((row) => this.view(row)));
  }

  async get(actor: Actor, walletId: string): Promise<WalletView> {
    return this.view(await this.owned(actor, walletId));
  }

  async balance(actor: Actor, walletId: string): Promise<BalanceView> {
    const view = await this.get(actor, walletId);
    return {
      walletId: view.id,
      walletNumber: view.walletNumber,
      currency: view.currency,
      balance: view.balance,
      available: view.available,
      pending: view.pending,
      dailyLimit: view.dailyLimit,
      monthlyLimit: view.monthlyLimit,
      dailySpent: view.dailySpent,
      monthlySpent: view.monthlySpent,
      status: view.status,
    };
  }

  /** The caller's wallet, or NOT_FOUND: another user's wallet is indistinguishable from none. */
  async owned(actor: Actor, walletId: string): Promise<WalletRow> {
    const wallet = isUuid(walletId) ? await this.wallets.findById(walletId) : undefined;
    if (!wallet || wallet.user_id !== actor.userId) throw new DomainError('NOT_FOUND', 'Wallet not found');
    return wallet;
  }

  /**
   * Refuses an amount outside the per-transaction minimum and maximum of its currency
   * (INVALID_AMOUNT); call it wherever an amount of money is about to move.
   */
  checkTransactionBounds(amount: bigint, currency: string): void {
    checkTransactionBounds(amount, currency, this.config.transactionBounds);
  }

  /** What the API shows of a wallet row, with its current balance and spending. */
  async view(row: WalletRow): Promise<WalletView> {
    const balances = await this.accounts.balances(this.dataSource.manager, [row.account_id]);
    const spent = await this.wallets.spent(this.dataSource.manager, row);
    return toWalletView(row, walletFigures(balances.get(row.account_id)), spent);
  }
}

function toWalletView(row: WalletRow, figures: { balance: bigint; pending: bigint; available: bigint }, spent: { daily: bigint; monthly: bigint }): WalletView {
  const money = (minor: bigint) => formatAmount(minor, row.currency);
  return {
    id: row.id,
    walletNumber: row.wallet_number,
    userId: row.user_id,
    currency: row.currency,
    balance: money(figures.balance),
    available: money(figures.available),
    pending: money(figures.pending),
    status: row.status,
    dailyLimit: money(BigInt(row.daily_limit)),
    monthlyLimit: money(BigInt(row.monthly_limit)),
    dailySpent: money(spent.daily),
    monthlySpent: money(spent.monthly),
    timeZone: row.time_zone,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** `WA` + 12 random digits. A collision (about n in 10^12) is refused by the unique constraint and the request fails; a retry draws again. */
function newWalletNumber(): string {
  let digits = '';
  for (let i = 0; i < 12; i++) digits += randomInt(0, 10).toString();
  return `WA${digits}`;
}

/** A wallet's name as stored: trimmed, 1 to 60 characters; null clears it; undefined is no name given. */
export function walletName(name: unknown): string | null | undefined {
  if (name === undefined || name === null) return name;
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length < 1 || trimmed.length > 60)
    throw new DomainError('VALIDATION_FAILED', 'name must be 1 to 60 characters, or null to remove it', { field: 'name' });
  return trimmed;
}
