import './tracing';

import { exitOnStartupFailure, runService } from '@tally/bootstrap';
import { Topics } from '@tally/contracts';
import { AppModule } from './app.module';
import { loadAnalyticsConfig } from './config/analytics.config';

async function main(): Promise<void> {
  const config = loadAnalyticsConfig();
  await runService({ config, module: AppModule.forConfig(config), commandTopic: Topics.analyticsCommands });
}

main().catch(exitOnStartupFailure('analytics'));
