import { DynamicModule, Module } from '@nestjs/common';
import { serviceInfrastructure } from '@tally/bootstrap';
import { FraudCommandsController } from './commands/fraud-commands.controller';
import { FRAUD_CONFIG, FraudConfig } from './config/fraud.config';
import { CreateFraudSchema1763769600000 } from './migrations/1763769600000-create-fraud-schema';
import { RulesAndReviews1764400000000 } from './migrations/1764400000000-rules-and-reviews';
import { RuntimeRole1766100000000 } from './migrations/1766100000000-runtime-role';
import { ReviewsService } from './reviews/reviews.service';
import { RulesRepository } from './rules/rules.repository';
import { RulesService } from './rules/rules.service';
import { PendingTransactionsConsumer } from './scoring/pending-transactions.consumer';
import { ScoringService } from './scoring/scoring.service';
import { StatsService } from './stats/stats.service';
import { FraudMetrics } from './metrics/fraud-metrics';

export const FRAUD_MIGRATIONS = [CreateFraudSchema1763769600000, RulesAndReviews1764400000000, RuntimeRole1766100000000];

@Module({})
export class AppModule {
  static forConfig(config: FraudConfig): DynamicModule {
    return {
      module: AppModule,
      imports: serviceInfrastructure({ config, schema: config.schema, migrations: FRAUD_MIGRATIONS }),
      controllers: [FraudCommandsController],
      providers: [
        { provide: FRAUD_CONFIG, useValue: config },
        RulesRepository,
        RulesService,
        ScoringService,
        PendingTransactionsConsumer,
        ReviewsService,
        StatsService,
        FraudMetrics,
      ],
    };
  }
}
