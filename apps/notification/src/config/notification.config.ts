import { BaseConfig, EnvReader, readBaseConfig } from '@tally/bootstrap';

export interface NotificationConfig extends BaseConfig {
  schema: 'notification';
}

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  const reader = new EnvReader(env);
  const config: NotificationConfig = { ...readBaseConfig(reader, 'notification', 8085), schema: 'notification' };
  reader.done();
  return config;
}
