import { BaseConfig, EnvReader, readBaseConfig, SettingDocs } from '@tally/bootstrap';

export interface AnalyticsConfig extends BaseConfig {
  schema: 'analytics';
}

/** Analytics reads only the variables every service reads (BASE_SETTINGS). */
export const ANALYTICS_SETTINGS: SettingDocs = {};

export function loadAnalyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const reader = new EnvReader(env);
  const config: AnalyticsConfig = { ...readBaseConfig(reader, 'analytics', 8084), schema: 'analytics' };
  reader.done();
  return config;
}
