import './tracing';

import { exitOnStartupFailure, runService } from '@tally/bootstrap';
import { Topics } from '@tally/contracts';
import { AppModule } from './app.module';
import { loadLedgerConfig } from './config/ledger.config';

async function main(): Promise<void> {
  const config = loadLedgerConfig();
  await runService({ config, module: AppModule.forConfig(config), commandTopic: Topics.ledgerCommands });
}

main().catch(exitOnStartupFailure('ledger'));
