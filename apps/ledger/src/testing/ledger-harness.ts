import { DataSource } from 'typeorm';
import { Actor, EventEnvelope, FraudDecisionV1, uuidv7 } from '@tally/contracts';
import { openServiceDatabase } from '@tally/database';
import { Messaging } from '@tally/messaging';
import { AccountsRepository } from '../accounts/accounts.repository';
import { BalanceDeltaFolder } from '../accounts/balance-delta-folder.service';
import { LEDGER_MIGRATIONS } from '../app.module';
import { LedgerConfig, loadLedgerConfig } from '../config/ledger.config';
import { CreateDepositHandler } from '../deposits/create-deposit.handler';
import { FxRatesService } from '../fx/fx-rates.service';
import { HoldExpiryService } from '../holds/hold-expiry.service';
import { HoldsRepository } from '../holds/holds.repository';
import { UserDailyLimit } from '../fx/user-daily-limit.service';
import { IdempotencyRepository } from '../idempotency/idempotency.repository';
import { JournalRepository } from '../journal/journal.repository';
import { LEDGER_RUNTIME_ROLE } from '../migrations/1763856000000-ledger-runtime-role';
import { CreatePaymentHandler } from '../payments/create-payment.handler';
import { WalletDebitService } from '../payments/wallet-debit.service';
import { CreateRefundHandler } from '../refunds/create-refund.handler';
import { ReverseTransactionHandler } from '../reversals/reverse-transaction.handler';
import { BatchingOptions, enableCommandBatching, runLedgerTransaction } from '../journal/run-ledger-transaction';
import { SettlePendingHandler } from '../settlement/settle-pending.handler';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { CreateTransferHandler } from '../transfers/create-transfer.handler';
import { WalletsRepository } from '../wallets/wallets.repository';
import { WalletsService } from '../wallets/wallets.service';
import { WalletLifecycleService } from '../wallets/wallet-lifecycle.service';
import { CreateWithdrawalHandler } from '../withdrawals/create-withdrawal.handler';
import { BalanceAsOfService } from '../reports/balance-as-of.service';
import { BalanceVerificationService } from '../reports/balance-verification.service';
import { TrialBalanceService } from '../reports/trial-balance.service';
import { JournalReplayService } from '../replay/journal-replay.service';
import { ContributeToGoalHandler } from '../goals/contribute-to-goal.handler';
import { GoalsRepository } from '../goals/goals.repository';
import { GoalsService } from '../goals/goals.service';

/**
 * The per-transaction maximum is lifted in the harness so fundedWallet (and property runs) can fund
 * large balances in one deposit; specs of the bounds themselves build a service with the defaults.
 */
export const HARNESS_ENV: NodeJS.ProcessEnv = { LEDGER_TX_MAX: '1000000000' };

/**
 * The ledger's command handlers wired to a real database without Nest or Kafka, for integration
 * specs and benchmarks that drive the posting path directly. Events still go to the outbox table;
 * no relay publishes them here.
 */
export class LedgerHarness {
  readonly accounts: AccountsRepository;
  readonly journal = new JournalRepository();
  readonly wallets: WalletsRepository;
  readonly transactions: TransactionsRepository;
  readonly walletsService: WalletsService;
  readonly lifecycle: WalletLifecycleService;
  readonly deposits: CreateDepositHandler;
  readonly transfers: CreateTransferHandler;
  readonly settle: SettlePendingHandler;
  readonly fx: FxRatesService;
  readonly userDailyLimit: UserDailyLimit;
  readonly withdrawals: CreateWithdrawalHandler;
  readonly payments: CreatePaymentHandler;
  readonly refunds: CreateRefundHandler;
  readonly reversals: ReverseTransactionHandler;
  readonly trialBalance: TrialBalanceService;
  readonly balanceAsOf: BalanceAsOfService;
  readonly verification: BalanceVerificationService;
  readonly replay: JournalReplayService;
  /** Folds balance deltas into balance rows when called (no timer in the harness). */
  readonly balanceFolder: BalanceDeltaFolder;
  readonly goals: GoalsService;
  readonly goalContributions: ContributeToGoalHandler;
  private readonly messaging: Messaging;

  private constructor(readonly db: DataSource) {
    const idempotency = new IdempotencyRepository(db);
    const messaging = { published: () => undefined } as unknown as Messaging;
    this.accounts = new AccountsRepository(db);
    this.wallets = new WalletsRepository(db);
    this.transactions = new TransactionsRepository(db);
    this.walletsService = new WalletsService(db, this.wallets, this.accounts, idempotency, messaging, loadLedgerConfig(HARNESS_ENV));
    this.lifecycle = new WalletLifecycleService(db, this.walletsService, this.wallets, this.accounts, idempotency, messaging);
    const parts = [db, this.walletsService, this.wallets, this.accounts, this.journal, this.transactions, idempotency, messaging] as const;
    const config = loadLedgerConfig({});
    this.fx = new FxRatesService(db, config);
    this.userDailyLimit = new UserDailyLimit(this.fx, config);
    this.deposits = new CreateDepositHandler(...parts);
    this.transfers = new CreateTransferHandler(...parts, this.userDailyLimit, config);
    this.settle = new SettlePendingHandler(this.journal, this.transactions);
    const debits = new WalletDebitService(this.wallets, this.accounts, this.journal, this.transactions, idempotency, this.userDailyLimit);
    this.withdrawals = new CreateWithdrawalHandler(db, this.walletsService, idempotency, debits, messaging);
    this.payments = new CreatePaymentHandler(db, this.walletsService, idempotency, this.fx, debits, messaging);
    this.refunds = new CreateRefundHandler(db, this.wallets, this.journal, this.transactions, idempotency, messaging);
    this.reversals = new ReverseTransactionHandler(db, this.journal, this.transactions, idempotency, messaging);
    this.trialBalance = new TrialBalanceService(db);
    this.balanceAsOf = new BalanceAsOfService(db, this.walletsService);
    this.verification = new BalanceVerificationService(db, idempotency);
    this.replay = new JournalReplayService(db, idempotency, messaging);
    const goals = new GoalsRepository(db);
    this.goals = new GoalsService(db, goals, idempotency);
    this.goalContributions = new ContributeToGoalHandler(
      db,
      this.goals,
      goals,
      this.walletsService,
      this.wallets,
      this.accounts,
      this.journal,
      this.transactions,
      idempotency,
      messaging,
    );
    this.messaging = messaging;
    this.balanceFolder = new BalanceDeltaFolder(db, config);
  }

  /** Applies the ledger's migrations to the database at url (the caller starts it empty). */
  static async open(url: string, poolSize = 40, batching?: BatchingOptions): Promise<LedgerHarness> {
    const db = await openServiceDatabase({
      url,
      schema: 'ledger',
      applicationName: 'ledger-harness',
      migrations: LEDGER_MIGRATIONS,
      poolSize,
      runtimeRole: LEDGER_RUNTIME_ROLE,
    });
    if (batching) enableCommandBatching(db, batching);
    return new LedgerHarness(db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  /** A user with one funded wallet (limits high enough not to get in the way). */
  async fundedWallet(currency: string, amount: string): Promise<{ actor: Actor; walletId: string; walletNumber: string }> {
    const actor = { userId: uuidv7(), roles: ['user'] };
    const wallet = await this.walletsService.open(actor, { currency, pin: '1234', dailyLimit: '100000000', monthlyLimit: '100000000' }, uuidv7());
    await this.deposits.execute(actor, { walletId: wallet.id, amount }, uuidv7());
    return { actor, walletId: wallet.id, walletNumber: wallet.walletNumber };
  }

  /** What the ledger does when fraud's decision arrives (inside the consumer's transaction). */
  async decide(transactionId: string, decision: 'approve' | 'reject' | 'review', score = 0): Promise<void> {
    const event: EventEnvelope<FraudDecisionV1> = {
      id: uuidv7(),
      type: FraudDecisionV1.type,
      version: FraudDecisionV1.version,
      source: 'harness',
      subject: transactionId,
      occurredAt: new Date().toISOString(),
      data: { transactionId, decision, score, flags: [] },
    };
    await runLedgerTransaction(this.db, (m) => this.settle.onDecision(event, m));
  }

  /** The hold sweeper with the given settings (not started: call sweep(), or onApplicationBootstrap() for its timer). */
  holdExpiry(
    settings: Partial<Pick<LedgerConfig, 'holdTimeoutMs' | 'holdSweepMs' | 'fraudFailOpenMaxMinor' | 'fraudFailOpenAfterMs'>> = {},
  ): HoldExpiryService {
    const config = { ...loadLedgerConfig({}), ...settings };
    return new HoldExpiryService(this.db, new HoldsRepository(), this.journal, this.transactions, this.messaging, config);
  }
}
