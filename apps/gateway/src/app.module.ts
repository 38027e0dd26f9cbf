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
import { NotificationPreferencesController } from './notifications/notification-preferences.controller';
import { WebhooksController } from './notifications/webhooks.controller';
import { SettlementWait } from './transactions/settlement-wait';
import { TransactionsController } from './transactions/transactions.controller';
import { TransfersController } from './transfers/transfers.controller';
import { WalletsController } from './wallets/wallets.controller';
import { WithdrawalsController } from './withdrawals/withdrawals.controller';

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
        NotificationPreferencesController,
        WebhooksController,
        ReferenceController,
      ],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, JwtStrategy, SettlementWait],
      exports: [GATEWAY_CONFIG],
    };
  }
}
