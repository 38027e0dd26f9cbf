import './tracing';

import { exitOnStartupFailure, runService } from '@tally/bootstrap';
import { Topics } from '@tally/contracts';
import { AppModule } from './app.module';
import { loadNotificationConfig } from './config/notification.config';

async function main(): Promise<void> {
  const config = loadNotificationConfig();
  await runService({ config, module: AppModule.forConfig(config), commandTopic: Topics.notificationCommands });
}

main().catch(exitOnStartupFailure('notification'));
