import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructure } from '@tally/bootstrap';
import { AccountsRepository } from './accounts/accounts.repository';
import { BalanceDeltaFolder } from './accounts/balance-delta-folder.service';
import { LedgerCommandsController } from './commands/ledger-commands.controller';
import { LEDGER_CONFIG, LedgerConfig } from './config/ledger.config';
import { FxRatesService } from './fx/fx-rates.service';
import { FxRatesAdminService } from './fx/fx-rates-admin.service';
import { CreateDepositHandler } from './deposits/create-deposit.handler';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { JournalRepository } from './journal/journal.repository';
import { CreateLedgerSchema1763769600000 } from './migrations/1763769600000-create-ledger-schema';
import { RatesForEveryCurrency1765400000000 } from './migrations/1765400000000-rates-for-every-currency';
import { LedgerRuntimeRole1763856000000 } from './migrations/1763856000000-ledger-runtime-role';
import { TransactionEntryLinkDeferred1764000400000 } from './migrations/1764000400000-transaction-entry-link-deferred';
import { FxRatesAndUserLimits1764000100000 } from './migrations/1764000100000-fx-rates-and-user-limits';
import { RefundsReversalsHolds1764000200000 } from './migrations/1764000200000-refunds-reversals-holds';
import { HoldExpiryService } from './holds/hold-expiry.service';
import { HoldsRepository } from './holds/holds.repository';
import { CreateRefundHandler } from './refunds/create-refund.handler';
import { ReverseTransactionHandler } from './reversals/reverse-transaction.handler';
import { CreatePaymentHandler } from './payments/create-payment.handler';
import { FraudDecisionsConsumer } from './settlement/fraud-decisions.consumer';
import { SettlePendingHandler } from './settlement/settle-pending.handler';
import { TransactionsRepository } from './transactions/transactions.repository';
import { TransactionsService } from './transactions/transactions.service';
import { CreateTransferHandler } from './transfers/create-transfer.handler';
import { WalletsRepository } from './wallets/wallets.repository';
import { WalletsService } from './wallets/wallets.service';
import { WalletLifecycleService } from './wallets/wallet-lifecycle.service';
import { WalletSettingsService } from './wallets/wallet-settings.service';
import { WalletLifecycle1764000000000 } from './migrations/1764000000000-wallet-lifecycle';
import { CreateWithdrawalHandler } from './withdrawals/create-withdrawal.handler';
import { LedgerReportsAndReplay1764000300000 } from './migrations/1764000300000-ledger-reports-and-replay';
import { BalanceDeltas1764000500000 } from './migrations/1764000500000-balance-deltas';
import { AdminRunsWorker } from './reports/admin-runs.worker';
import { BalanceAsOfService } from './reports/balance-as-of.service';
import { BalanceVerificationService } from './reports/balance-verification.service';
import { TrialBalanceService } from './reports/trial-balance.service';
import { JournalReplayService } from './replay/journal-replay.service';
import { Goals1764200000000 } from './migrations/1764200000000-goals';
import { BalancesThroughPostingOnly1766100000000 } from './migrations/1766100000000-balances-through-posting-only';
import { WalletNames1766200000000 } from './migrations/1766200000000-wallet-names';
import { GoalWithdrawalsAndClosing1766300000000 } from './migrations/1766300000000-goal-withdrawals-and-closing';
import { GoalsRepository } from './goals/goals.repository';
import { GoalsService } from './goals/goals.service';
import { ContributeToGoalHandler } from './goals/contribute-to-goal.handler';
import { WithdrawFromGoalHandler } from './goals/withdraw-from-goal.handler';
import { CloseGoalHandler } from './goals/close-goal.handler';
import { PostingKernel1765000000000 } from './migrations/1765000000000-posting-kernel';
import { AdminTransactionsService } from './admin/admin-transactions.service';
import { AdminWalletsService } from './admin/admin-wallets.service';
import { Imports1765100000000 } from './migrations/1765100000000-imports';
import { ImportsService } from './imports/imports.service';
import { ImportPoster } from './imports/import-poster';
import { ImportedTransactions1765200000000 } from './migrations/1765200000000-imported-transactions';
import { LedgerMetrics } from './metrics/ledger-metrics';
import { PostingKernel } from './posting/posting-kernel';
import { WalletDirectory } from './posting/wallet-directory';

export const LEDGER_MIGRATIONS = [
  CreateLedgerSchema1763769600000,
  LedgerRuntimeRole1763856000000,
  TransactionEntryLinkDeferred1764000400000,
  FxRatesAndUserLimits1764000100000,
  RefundsReversalsHolds1764000200000,
  WalletLifecycle1764000000000,
  LedgerReportsAndReplay1764000300000,
  BalanceDeltas1764000500000,
  Goals1764200000000,
  PostingKernel1765000000000,
  Imports1765100000000,
  ImportedTransactions1765200000000,
  RatesForEveryCurrency1765400000000,
  BalancesThroughPostingOnly1766100000000,
  WalletNames1766200000000,
  GoalWithdrawalsAndClosing1766300000000,
];

/** Everything that reads and writes the ledger, without timers or Kafka consumers (the test harness and benches use these alone). */
export const LEDGER_CORE_PROVIDERS = [
  AccountsRepository,
  JournalRepository,
  IdempotencyRepository,
  WalletsRepository,
  TransactionsRepository,
  WalletsService,
  WalletLifecycleService,
  WalletSettingsService,
  TransactionsService,
  FxRatesService,
  FxRatesAdminService,
  PostingKernel,
  WalletDirectory,
  CreateDepositHandler,
  CreateTransferHandler,
  CreateWithdrawalHandler,
  CreatePaymentHandler,
  SettlePendingHandler,
  CreateRefundHandler,
  ReverseTransactionHandler,
  GoalsRepository,
  GoalsService,
  ContributeToGoalHandler,
  WithdrawFromGoalHandler,
  CloseGoalHandler,
  HoldsRepository,
  TrialBalanceService,
  BalanceAsOfService,
  BalanceVerificationService,
  JournalReplayService,
  AdminTransactionsService,
  AdminWalletsService,
  ImportsService,
  ImportPoster,
];

/** What runs by itself in the service: the fraud decisions consumer, the timers, and the gauges read at each scrape. */
const LEDGER_WORKERS = [FraudDecisionsConsumer, HoldExpiryService, BalanceDeltaFolder, AdminRunsWorker, LedgerMetrics];

@Module({})
export class AppModule {
  static forConfig(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...serviceInfrastructure({ config, schema: config.schema, migrations: LEDGER_MIGRATIONS, poolSize: 20 })],
      controllers: [LedgerCommandsController],
      providers: [{ provide: LEDGER_CONFIG, useValue: config }, ...LEDGER_CORE_PROVIDERS, ...LEDGER_WORKERS],
    };
  }
}
