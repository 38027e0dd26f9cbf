import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructure } from '@tally/bootstrap';
import { AccountsRepository } from './accounts/accounts.repository';
import { LedgerCommandsController } from './commands/ledger-commands.controller';
import { LEDGER_CONFIG, LedgerConfig } from './config/ledger.config';
import { CreateDepositHandler } from './deposits/create-deposit.handler';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { JournalRepository } from './journal/journal.repository';
import { CreateLedgerSchema1763769600000 } from './migrations/1763769600000-create-ledger-schema';
import { LEDGER_RUNTIME_ROLE, LedgerRuntimeRole1763856000000 } from './migrations/1763856000000-ledger-runtime-role';
import { FraudDecisionsConsumer } from './settlement/fraud-decisions.consumer';
import { SettlePendingHandler } from './settlement/settle-pending.handler';
import { TransactionsRepository } from './transactions/transactions.repository';
import { TransactionsService } from './transactions/transactions.service';
import { CreateTransferHandler } from './transfers/create-transfer.handler';
import { WalletsRepository } from './wallets/wallets.repository';
import { WalletsService } from './wallets/wallets.service';

export const LEDGER_MIGRATIONS = [CreateLedgerSchema1763769600000, LedgerRuntimeRole1763856000000];

@Module({})
export class AppModule {
  static forConfig(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...serviceInfrastructure({ config, schema: config.schema, migrations: LEDGER_MIGRATIONS, poolSize: 20, runtimeRole: LEDGER_RUNTIME_ROLE }),
      ],
      controllers: [LedgerCommandsController],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        AccountsRepository,
        JournalRepository,
        IdempotencyRepository,
        WalletsRepository,
        TransactionsRepository,
        WalletsService,
        TransactionsService,
        CreateDepositHandler,
        CreateTransferHandler,
        SettlePendingHandler,
        FraudDecisionsConsumer,
      ],
    };
  }
}
