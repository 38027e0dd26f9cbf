import { BaseConfig, EnvReader, readBaseConfig } from '@tally/bootstrap';

export interface AnalyticsConfig extends BaseConfig {
  schema: 'analytics';
}

export function loadAnalyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const reader = new EnvReader(env);
  const config: AnalyticsConfig = { ...readBaseConfig(reader, 'analytics', 8084), schema: 'analytics' };
  reader.done();
  return config;
}
