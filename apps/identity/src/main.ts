import { startTracing } from '@tally/observability';
startTracing('identity');

import { exitOnStartupFailure, runService } from '@tally/bootstrap';
import { Topics } from '@tally/contracts';
import { AppModule } from './app.module';
import { loadIdentityConfig } from './config/identity.config';

async function main(): Promise<void> {
  const config = loadIdentityConfig();
  await runService({ config, module: AppModule.forConfig(config), commandTopic: Topics.identityCommands });
}

main().catch(exitOnStartupFailure('identity'));
