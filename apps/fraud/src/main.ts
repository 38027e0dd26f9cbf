import './tracing';

import { exitOnStartupFailure, runService } from '@tally/bootstrap';
import { Topics } from '@tally/contracts';
import { AppModule } from './app.module';
import { loadFraudConfig } from './config/fraud.config';

async function main(): Promise<void> {
  const config = loadFraudConfig();
  await runService({ config, module: AppModule.forConfig(config), commandTopic: Topics.fraudCommands });
}

main().catch(exitOnStartupFailure('fraud'));
