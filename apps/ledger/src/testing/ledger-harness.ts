import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { Actor, EventEnvelope, FraudDecisionV1, Topics, uuidv7 } from '@tally/contracts';
import { openServiceDatabase, provisionServiceRoles, roleUrl, serviceRoles } from '@tally/database';
import { Messaging } from '@tally/messaging';
import { AccountsRepository } from '../accounts/accounts.repository';
import { BalanceDeltaFolder } from '../accounts/balance-delta-folder.service';
import { LEDGER_CORE_PROVIDERS, LEDGER_MIGRATIONS } from '../app.module';
import { LEDGER_CONFIG, LedgerConfig, loadLedgerConfig } from '../config/ledger.config';
import { CreateDepositHandler } from '../deposits/create-deposit.handler';
import { FxRatesService } from '../fx/fx-rates.service';
import { ContributeToGoalHandler } from '../goals/contribute-to-goal.handler';
import { WithdrawFromGoalHandler } from '../goals/withdraw-from-goal.handler';
import { GoalsService } from '../goals/goals.service';
import { HoldExpiryService } from '../holds/hold-expiry.service';
import { HoldsRepository } from '../holds/holds.repository';
import { JournalRepository } from '../journal/journal.repository';
import { CreatePaymentHandler } from '../payments/create-payment.handler';
import { CreateWithdrawalHandler } from '../withdrawals/create-withdrawal.handler';
import { PostingKernel } from '../posting/posting-kernel';
import { CreateRefundHandler } from '../refunds/create-refund.handler';
import { BalanceAsOfService } from '../reports/balance-as-of.service';
import { BalanceVerificationService } from '../reports/balance-verification.service';
import { TrialBalanceService } from '../reports/trial-balance.service';
import { JournalReplayService } from '../replay/journal-replay.service';
import { ReverseTransactionHandler } from '../reversals/reverse-transaction.handler';
import { SettleOutcome, SettlePendingHandler } from '../settlement/settle-pending.handler';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { CreateTransferHandler } from '../transfers/create-transfer.handler';
import { WalletLifecycleService } from '../wallets/wallet-lifecycle.service';
import { WalletsRepository } from '../wallets/wallets.repository';
import { WalletsService } from '../wallets/wallets.service';

/**
 * The per-transaction maximum is lifted in the harness so fundedWallet (and property runs) can fund
 * large balances in one deposit; specs of the bounds themselves build a service with the defaults.
 */
export const HARNESS_ENV: NodeJS.ProcessEnv = { LEDGER_TX_MAX: '1000000000' };

/** A PIN the harness's wallets use (not a straight run, so the weak-PIN rule lets it through). */
export const HARNESS_PIN = '2580';

/** Outbox rows still go to the table; no relay publishes them and no consumer runs here. */
const quietMessaging = { published: () => undefined, consume: () => undefined } as unknown as Messaging;

/**
 * The ledger's command handlers wired by Nest over a real database, without Kafka or timers, for
 * integration specs and benchmarks that drive the posting path directly: the same providers as the
 * service (LEDGER_CORE_PROVIDERS), so the harness cannot drift from what runs.
 */
export class LedgerHarness {
  readonly accounts: AccountsRepository;
  readonly journal: JournalRepository;
  readonly wallets: WalletsRepository;
  readonly transactions: TransactionsRepository;
  readonly walletsService: WalletsService;
  readonly lifecycle: WalletLifecycleService;
  readonly kernel: PostingKernel;
  readonly deposits: CreateDepositHandler;
  readonly transfers: CreateTransferHandler;
  readonly settle: SettlePendingHandler;
  readonly fx: FxRatesService;
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
  readonly goalWithdrawals: WithdrawFromGoalHandler;

  private constructor(
    readonly db: DataSource,
    readonly config: LedgerConfig,
    private readonly context: INestApplicationContext,
  ) {
    const get = <T>(type: abstract new (...args: never[]) => T): T => context.get(type as never);
    this.accounts = get(AccountsRepository);
    this.journal = get(JournalRepository);
    this.wallets = get(WalletsRepository);
    this.transactions = get(TransactionsRepository);
    this.walletsService = get(WalletsService);
    this.lifecycle = get(WalletLifecycleService);
    this.kernel = get(PostingKernel);
    this.deposits = get(CreateDepositHandler);
    this.transfers = get(CreateTransferHandler);
    this.settle = get(SettlePendingHandler);
    this.fx = get(FxRatesService);
    this.withdrawals = get(CreateWithdrawalHandler);
    this.payments = get(CreatePaymentHandler);
    this.refunds = get(CreateRefundHandler);
    this.reversals = get(ReverseTransactionHandler);
    this.trialBalance = get(TrialBalanceService);
    this.balanceAsOf = get(BalanceAsOfService);
    this.verification = get(BalanceVerificationService);
    this.replay = get(JournalReplayService);
    this.goals = get(GoalsService);
    this.goalContributions = get(ContributeToGoalHandler);
    this.goalWithdrawals = get(WithdrawFromGoalHandler);
    this.balanceFolder = new BalanceDeltaFolder(db, config);
  }

  /**
   * Applies the ledger's migrations to the database at url (the caller starts it empty). `env`
   * adds to HARNESS_ENV (e.g. COMMAND_BATCH_MAX=1 for one command per transaction).
   */
  static async open(url: string, poolSize = 40, env: NodeJS.ProcessEnv = {}): Promise<LedgerHarness> {
    // As in production: migrated by the schema's owner role, run as the ledger's login role (url is a superuser's).
    await provisionServiceRoles(url, { services: ['ledger'] });
    const roles = serviceRoles('ledger');
    const db = await openServiceDatabase({
      url: roleUrl(url, roles.login),
      migrationUrl: roleUrl(url, roles.owner),
      schema: 'ledger',
      applicationName: 'ledger-harness',
      migrations: LEDGER_MIGRATIONS,
      poolSize,
    });
    const config = loadLedgerConfig({ ...HARNESS_ENV, ...env });
    @Module({
      providers: [
        { provide: DataSource, useValue: db },
        { provide: Messaging, useValue: quietMessaging },
        { provide: LEDGER_CONFIG, useValue: config },
        ...LEDGER_CORE_PROVIDERS,
      ],
    })
    class LedgerHarnessModule {}
    const context = await NestFactory.createApplicationContext(LedgerHarnessModule, { logger: false });
    return new LedgerHarness(db, config, context);
  }

  async close(): Promise<void> {
    await this.context.close();
    await this.db.destroy();
  }

  /** A user with one funded wallet (limits at the platform's caps, out of the way); its PIN is HARNESS_PIN. */
  async fundedWallet(currency: string, amount: string): Promise<{ actor: Actor; walletId: string; walletNumber: string }> {
    const actor = { userId: uuidv7(), roles: ['user'] };
    const wallet = await this.walletsService.open(actor, { currency, pin: HARNESS_PIN, ...(await this.walletsService.limitCaps(currency)) }, uuidv7());
    await this.deposits.execute(actor, { walletId: wallet.id, amount }, uuidv7());
    return { actor, walletId: wallet.id, walletNumber: wallet.walletNumber };
  }

  /** What the ledger does when fraud's decision arrives (a command of the posting kernel, applied once). */
  decide(transactionId: string, decision: 'approve' | 'reject' | 'review', score = 0): Promise<SettleOutcome> {
    const event: EventEnvelope<FraudDecisionV1> = {
      id: uuidv7(),
      type: FraudDecisionV1.type,
      version: FraudDecisionV1.version,
      source: 'harness',
      subject: transactionId,
      occurredAt: new Date().toISOString(),
      data: { transactionId, decision, score, flags: [] },
    };
    return this.settle.onDecision(event, Topics.fraudDecisions);
  }

  /** The hold sweeper with the given settings (not started: call sweep(), or onApplicationBootstrap() for its timer). */
  holdExpiry(
    settings: Partial<Pick<LedgerConfig, 'holdTimeoutMs' | 'holdSweepMs' | 'fraudFailOpenMaxMinor' | 'fraudFailOpenAfterMs'>> = {},
  ): HoldExpiryService {
    return new HoldExpiryService(this.db, new HoldsRepository(), this.settle, { ...this.config, ...settings });
  }
}
