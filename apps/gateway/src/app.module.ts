import { DynamicModule, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ObservabilityModule } from '@tally/observability';
import { AdminTransactionsController } from './admin/admin-transactions.controller';
import { LedgerAdminController } from './admin/ledger-admin.controller';
import { AnalyticsController } from './analytics/analytics.controller';
import { AuthController } from './auth/auth.controller';
import { JwtStrategy } from './auth/jwt.strategy';
import { CommandsModule } from './commands/commands.module';
import { GATEWAY_CONFIG, GatewayConfig } from './config/gateway.config';
import { NotificationsController } from './notifications/notifications.controller';
import { PaymentsController } from './payments/payments.controller';
import { ReferenceController } from './reference/reference.controller';
import { SettlementWait } from './transactions/settlement-wait';
import { TransactionsController } from './transactions/transactions.controller';
import { TransfersController } from './transfers/transfers.controller';
import { WalletsController } from './wallets/wallets.controller';
import { WithdrawalsController } from './withdrawals/withdrawals.controller';
import { BudgetsController } from './budgets/budgets.controller';
import { GoalsController } from './goals/goals.controller';
import { SummaryController } from './summary/summary.controller';
import { SummaryService } from './summary/summary.service';

@Module({})
export class AppModule {
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [ObservabilityModule, PassportModule, CommandsModule],
      controllers: [
        AuthController,
        WalletsController,
        TransfersController,
        WithdrawalsController,
        PaymentsController,
        TransactionsController,
        AdminTransactionsController,
        LedgerAdminController,
        AnalyticsController,
        NotificationsController,
        ReferenceController,
        BudgetsController,
        GoalsController,
        SummaryController,
      ],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, JwtStrategy, SettlementWait, SummaryService],
      exports: [GATEWAY_CONFIG],
    };
  }
}
