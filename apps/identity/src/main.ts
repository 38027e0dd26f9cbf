import './tracing';

import { exitOnStartupFailure, runService } from '@tally/bootstrap';
import { Topics } from '@tally/contracts';
import { AppModule } from './app.module';
import { loadIdentityConfig } from './config/identity.config';

async function main(): Promise<void> {
  const config = loadIdentityConfig();
  const { concurrency, maxQueue } = config.passwordHashing;
  // Every credential command is handed straight to the gate (credentialCommandGate), which runs 4 × concurrency and queues maxQueue.
  await runService({
    config,
    module: AppModule.forConfig(config),
    commandTopic: Topics.identityCommands,
    // Password checks on a consumer of their own: as many taken at once as the hashing pool runs and
    // queues (the pool, not Kafka, is where a flood is refused fast), none of them in the way of reads.
    isolatedCommandTopics: [{ topic: Topics.identityCredentials, concurrency: 4 * concurrency + maxQueue }],
  });
}

main().catch(exitOnStartupFailure('identity'));
