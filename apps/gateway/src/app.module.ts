import { FxRatesAdminController } from './admin/fx-rates-admin.controller';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { DatabaseModule } from '@tally/database';
import { ObservabilityModule } from '@tally/observability';
import { AdminTransactionsController } from './admin/admin-transactions.controller';
import { FraudAdminController } from './admin/fraud-admin.controller';
import { AdminUsersController } from './admin/admin-users.controller';
import { AdminWalletsController } from './admin/admin-wallets.controller';
import { LedgerAdminController } from './admin/ledger-admin.controller';
import { PlatformAdminController } from './admin/platform-admin.controller';
import { ImportsAdminController } from './admin/imports-admin.controller';
import { AnalyticsController, ReportsController } from './analytics/analytics.controller';
import { AuthController } from './auth/auth.controller';
import { JwtStrategy } from './auth/jwt.strategy';
import { PrincipalResolver } from './auth/principal-resolver';
import { CommandsModule } from './commands/commands.module';
import { GATEWAY_CONFIG, GatewayConfig } from './config/gateway.config';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { CreateGatewaySchema1764100000000 } from './migrations/1764100000000-create-gateway-schema';
import { RuntimeRole1766100000000 } from './migrations/1766100000000-runtime-role';
import { MeController } from './me/me.controller';
import { MfaController } from './mfa/mfa.controller';
import { Reauthenticator } from './auth/reauthenticator';
import { KnownQueryGuard } from './http/known-query.guard';
import { CredentialRateLimitGuard } from './rate-limit/credential-rate-limit.guard';
import { NotificationsController } from './notifications/notifications.controller';
import { PaymentsController } from './payments/payments.controller';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimiter } from './rate-limit/rate-limiter';
import { ReferenceController } from './reference/reference.controller';
import { EventCatalogueController } from './reference/event-catalogue.controller';
import { NotificationPreferencesController } from './notifications/notification-preferences.controller';
import { WebhooksController } from './notifications/webhooks.controller';
import { SettlementWait } from './transactions/settlement-wait';
import { SettlementWatcher } from './transactions/settlement-watcher';
import { TransactionsController } from './transactions/transactions.controller';
import { TransfersController } from './transfers/transfers.controller';
import { WalletsController } from './wallets/wallets.controller';
import { WithdrawalsController } from './withdrawals/withdrawals.controller';
import { BudgetsController } from './budgets/budgets.controller';
import { GoalsController } from './goals/goals.controller';
import { SummaryController } from './summary/summary.controller';
import { SummaryService } from './summary/summary.service';

/** The gateway's own schema holds only Idempotency-Key records. */
export const GATEWAY_MIGRATIONS = [CreateGatewaySchema1764100000000, RuntimeRole1766100000000];

@Module({})
export class AppModule {
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ObservabilityModule,
        DatabaseModule.forService({
          url: config.databaseUrl,
          migrationUrl: config.migrationDatabaseUrl,
          refuseSuperuser: config.production,
          schema: 'gateway',
          applicationName: 'tally-gateway',
          migrations: GATEWAY_MIGRATIONS,
          poolSize: 10,
          migrationsAtStart: config.migrationsAtStart,
        }),
        PassportModule,
        CommandsModule,
      ],
      controllers: [
        AuthController,
        MeController,
        MfaController,
        AdminUsersController,
        WalletsController,
        TransfersController,
        WithdrawalsController,
        PaymentsController,
        TransactionsController,
        AdminTransactionsController,
        AdminWalletsController,
        FxRatesAdminController,
        LedgerAdminController,
        FraudAdminController,
        PlatformAdminController,
        ImportsAdminController,
        AnalyticsController,
        ReportsController,
        NotificationsController,
        NotificationPreferencesController,
        WebhooksController,
        ReferenceController,
        ...(config.apiDocs ? [EventCatalogueController] : []),
        BudgetsController,
        GoalsController,
        SummaryController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        JwtStrategy,
        PrincipalResolver,
        SettlementWait,
        SettlementWatcher,
        SummaryService,
        RateLimiter,
        CredentialRateLimitGuard,
        Reauthenticator,
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: KnownQueryGuard },
        IdempotencyRepository,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [GATEWAY_CONFIG],
    };
  }
}
