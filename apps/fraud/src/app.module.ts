import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructure } from '@tally/bootstrap';
import { FRAUD_CONFIG, FraudConfig } from './config/fraud.config';
import { CreateFraudSchema1763769600000 } from './migrations/1763769600000-create-fraud-schema';
import { PendingTransactionsConsumer } from './scoring/pending-transactions.consumer';
import { ScoringService } from './scoring/scoring.service';

export const FRAUD_MIGRATIONS = [CreateFraudSchema1763769600000];

@Module({})
export class AppModule {
  static forConfig(config: FraudConfig): DynamicModule {
    return {
      module: AppModule,
      imports: serviceInfrastructure({ config, schema: config.schema, migrations: FRAUD_MIGRATIONS }),
      providers: [{ provide: FRAUD_CONFIG, useValue: config }, ScoringService, PendingTransactionsConsumer],
    };
  }
}
