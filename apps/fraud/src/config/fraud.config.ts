import { BaseConfig, EnvReader, readBaseConfig } from '@tally/bootstrap';

export const FRAUD_CONFIG = Symbol('FRAUD_CONFIG');

export interface FraudConfig extends BaseConfig {
  schema: 'fraud';
  /** Scores at or above this are held for review (the seed's 60). */
  reviewThreshold: number;
}

export function loadFraudConfig(env: NodeJS.ProcessEnv = process.env): FraudConfig {
  const reader = new EnvReader(env);
  const config: FraudConfig = {
    ...readBaseConfig(reader, 'fraud', 8083),
    schema: 'fraud',
    reviewThreshold: reader.int('FRAUD_REVIEW_THRESHOLD', 60, 1, 100),
  };
  reader.done();
  return config;
}
