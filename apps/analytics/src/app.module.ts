import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructure } from '@tally/bootstrap';
import { AnalyticsCommandsController } from './commands/analytics-commands.controller';
import { AnalyticsConfig } from './config/analytics.config';
import { CreateAnalyticsSchema1763769600000 } from './migrations/1763769600000-create-analytics-schema';
import { PostedTransactionsConsumer } from './spending/posted-transactions.consumer';
import { SpendingRepository } from './spending/spending.repository';
import { SpendingService } from './spending/spending.service';
import { ReversedTransactions1764100000000 } from './migrations/1764100000000-reversed-transactions';
import { Budgets1764200000000 } from './migrations/1764200000000-budgets';
import { BudgetsRepository } from './budgets/budgets.repository';
import { BudgetsService } from './budgets/budgets.service';
import { PlatformAnalyticsAndAuditLog1764700000000 } from './migrations/1764700000000-platform-analytics-and-audit-log';
import { RuntimeRole1766100000000 } from './migrations/1766100000000-runtime-role';
import { BudgetChanges1766200000000 } from './migrations/1766200000000-budget-changes';
import { PlatformRepository } from './platform/platform.repository';
import { PlatformAnalyticsService } from './platform/platform-analytics.service';
import { IdentityEventsConsumer } from './platform/identity-events.consumer';
import { AuditLogService } from './audit/audit-log.service';
import { AuditEventsConsumer } from './audit/audit-events.consumer';

export const ANALYTICS_MIGRATIONS = [
  CreateAnalyticsSchema1763769600000,
  ReversedTransactions1764100000000,
  Budgets1764200000000,
  PlatformAnalyticsAndAuditLog1764700000000,
  RuntimeRole1766100000000,
  BudgetChanges1766200000000,
];

@Module({})
export class AppModule {
  static forConfig(config: AnalyticsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: serviceInfrastructure({ config, schema: config.schema, migrations: ANALYTICS_MIGRATIONS }),
      controllers: [AnalyticsCommandsController],
      providers: [
        SpendingRepository,
        SpendingService,
        PostedTransactionsConsumer,
        BudgetsRepository,
        BudgetsService,
        PlatformRepository,
        PlatformAnalyticsService,
        IdentityEventsConsumer,
        AuditLogService,
        AuditEventsConsumer,
      ],
    };
  }
}
