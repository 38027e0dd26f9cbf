import { FxRatesAdminService } from '../fx/fx-rates-admin.service';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { CommandMessage, CommandReply, DomainError, LedgerCommands, Topics } from '@tally/contracts';
import { CommandRouter, route, requestOrigin, requireActor } from '@tally/messaging';
import { CreateDepositHandler } from '../deposits/create-deposit.handler';
import { CreatePaymentHandler } from '../payments/create-payment.handler';
import { CreateRefundHandler } from '../refunds/create-refund.handler';
import { ReverseTransactionHandler } from '../reversals/reverse-transaction.handler';
import { TransactionsService } from '../transactions/transactions.service';
import { CreateTransferHandler } from '../transfers/create-transfer.handler';
import { WalletsService } from '../wallets/wallets.service';
import { WalletLifecycleService } from '../wallets/wallet-lifecycle.service';
import { WalletSettingsService } from '../wallets/wallet-settings.service';
import { CreateWithdrawalHandler } from '../withdrawals/create-withdrawal.handler';
import { BalanceAsOfService } from '../reports/balance-as-of.service';
import { BalanceVerificationService } from '../reports/balance-verification.service';
import { TrialBalanceService } from '../reports/trial-balance.service';
import { JournalReplayService } from '../replay/journal-replay.service';
import { ContributeToGoalHandler } from '../goals/contribute-to-goal.handler';
import { WithdrawFromGoalHandler } from '../goals/withdraw-from-goal.handler';
import { CloseGoalHandler } from '../goals/close-goal.handler';
import { GoalsService } from '../goals/goals.service';
import { AdminTransactionsService } from '../admin/admin-transactions.service';
import { AdminWalletsService } from '../admin/admin-wallets.service';
import { ImportsService } from '../imports/imports.service';

@Controller()
export class LedgerCommandsController {
  readonly router: CommandRouter;

  constructor(
    wallets: WalletsService,
    deposits: CreateDepositHandler,
    transfers: CreateTransferHandler,
    transactions: TransactionsService,
    withdrawals: CreateWithdrawalHandler,
    payments: CreatePaymentHandler,
    refunds: CreateRefundHandler,
    reversals: ReverseTransactionHandler,
    lifecycle: WalletLifecycleService,
    trialBalance: TrialBalanceService,
    balanceAsOf: BalanceAsOfService,
    verification: BalanceVerificationService,
    replay: JournalReplayService,
    goals: GoalsService,
    goalContributions: ContributeToGoalHandler,
    adminTransactions: AdminTransactionsService,
    adminWallets: AdminWalletsService,
    imports: ImportsService,
    fxRates: FxRatesAdminService,
    settings: WalletSettingsService,
    goalWithdrawals: WithdrawFromGoalHandler,
    goalClosing: CloseGoalHandler,
  ) {
    this.router = new CommandRouter(
      'ledger',
      [
        route(LedgerCommands.openWallet, (p, m) => wallets.open(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.listWallets, (_p, m) => wallets.list(requireActor(m))),
        route(LedgerCommands.getWallet, (p, m) => wallets.get(requireActor(m), p.walletId)),
        route(LedgerCommands.updateWallet, (p, m) => settings.update(requireActor(m), p)),
        route(LedgerCommands.getBalance, (p, m) => wallets.balance(requireActor(m), p.walletId)),
        route(LedgerCommands.deposit, (p, m) => deposits.execute(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.transfer, (p, m) => transfers.execute(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.getTransaction, (p, m) => transactions.get(requireActor(m), p.transactionId)),
        route(LedgerCommands.listTransactions, (p, m) => transactions.list(requireActor(m), p)),
        route(LedgerCommands.changePin, (p, m) => lifecycle.changePin(requireActor(m), p, optionalIdempotencyKey(m))),
        route(LedgerCommands.resetPin, (p, m) => lifecycle.resetPin(requireActor(m), p)),
        route(LedgerCommands.unlockPin, (p, m) => lifecycle.unlockPin(requireActor(m), p)),
        route(LedgerCommands.freezeWallet, (p, m) => lifecycle.changeStatus(requireActor(m), p.walletId, 'freeze', p.reason)),
        route(LedgerCommands.unfreezeWallet, (p, m) => lifecycle.changeStatus(requireActor(m), p.walletId, 'unfreeze', p.reason)),
        route(LedgerCommands.closeWallet, (p, m) => lifecycle.changeStatus(requireActor(m), p.walletId, 'close', p.reason)),
        route(LedgerCommands.withdrawal, (p, m) => withdrawals.execute(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.payment, (p, m) => payments.execute(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.refund, (p, m) => refunds.execute(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.reverseTransaction, (p, m) => reversals.execute(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.getBalanceAsOf, (p, m) => balanceAsOf.get(requireActor(m), p)),
        route(LedgerCommands.trialBalance, (_p, m) => trialBalance.get(requireActor(m))),
        route(LedgerCommands.startVerification, (p, m) => verification.start(requireActor(m), requireIdempotencyKey(m), requestOrigin(p))),
        route(LedgerCommands.getVerification, (p, m) => verification.get(requireActor(m), p.runId)),
        route(LedgerCommands.startReplay, (p, m) => replay.start(requireActor(m), p, requireIdempotencyKey(m), requestOrigin(p))),
        route(LedgerCommands.getReplay, (p, m) => replay.get(requireActor(m), p.runId)),
        route(LedgerCommands.createGoal, (p, m) => goals.create(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.listGoals, (_p, m) => goals.list(requireActor(m))),
        route(LedgerCommands.getGoal, (p, m) => goals.get(requireActor(m), p.goalId)),
        route(LedgerCommands.contributeToGoal, (p, m) => goalContributions.execute(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.withdrawFromGoal, (p, m) => goalWithdrawals.execute(requireActor(m), p, requireIdempotencyKey(m))),
        route(LedgerCommands.updateGoal, (p, m) => goals.update(requireActor(m), p)),
        route(LedgerCommands.closeGoal, (p, m) => goalClosing.execute(requireActor(m), p)),
        route(LedgerCommands.adminListTransactions, (p, m) => adminTransactions.list(requireActor(m), p)),
        route(LedgerCommands.adminGetTransaction, (p, m) => adminTransactions.get(requireActor(m), p.transactionId)),
        route(LedgerCommands.adminUserWallets, (p, m) => adminWallets.ofUser(requireActor(m), p.userId)),
        route(LedgerCommands.adminFindWalletOwners, (p, m) => adminWallets.findOwners(requireActor(m), p.q)),
        route(LedgerCommands.createImport, (p, m) => imports.create(requireActor(m), p, requireIdempotencyKey(m), requestOrigin(p))),
        route(LedgerCommands.listImports, (p, m) => imports.list(requireActor(m), p)),
        route(LedgerCommands.getImport, (p, m) => imports.get(requireActor(m), p)),
        route(LedgerCommands.adminListFxRates, (_p, m) => fxRates.list(requireActor(m))),
        route(LedgerCommands.adminSetFxRate, (p, m) => fxRates.set(requireActor(m), p, requestOrigin(p))),
      ],
      new Logger('LedgerCommands'),
    );
  }

  @MessagePattern(Topics.ledgerCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}

/** Every money-moving or creating command carries one (the gateway fills it from Idempotency-Key). */
function requireIdempotencyKey(message: CommandMessage): string {
  const key = message.idempotencyKey;
  if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
    throw new DomainError('VALIDATION_FAILED', 'An Idempotency-Key of 1 to 255 characters is required');
  }
  return key;
}

/** For commands where a key is welcome but not required (PUT /pin): validated when present. */
function optionalIdempotencyKey(message: CommandMessage): string | undefined {
  return message.idempotencyKey === undefined ? undefined : requireIdempotencyKey(message);
}
