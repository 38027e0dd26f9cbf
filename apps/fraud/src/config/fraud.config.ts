import { BaseConfig, EnvReader, readBaseConfig } from '@tally/bootstrap';
import { DecisionBands } from '../scoring/scoring-engine';

export const FRAUD_CONFIG = Symbol('FRAUD_CONFIG');

export interface FraudConfig extends BaseConfig {
  schema: 'fraud';
  /** Score bands: review (the seed's 60), high-risk review (80), automatic reject (off unless set). */
  bands: DecisionBands;
  /** The zone for an event that carries none (events from before wallets had one). */
  defaultTimeZone: string;
}

export function loadFraudConfig(env: NodeJS.ProcessEnv = process.env): FraudConfig {
  const reader = new EnvReader(env);
  const reject = reader.int('FRAUD_REJECT_THRESHOLD', 0, 0, 100);
  const config: FraudConfig = {
    ...readBaseConfig(reader, 'fraud', 8083),
    schema: 'fraud',
    bands: {
      review: reader.int('FRAUD_REVIEW_THRESHOLD', 60, 1, 100),
      highRisk: reader.int('FRAUD_HIGH_RISK_THRESHOLD', 80, 1, 100),
      reject: reject === 0 ? null : reject,
    },
    defaultTimeZone: reader.string('FRAUD_DEFAULT_TIME_ZONE', 'UTC'),
  };
  if (config.bands.highRisk < config.bands.review) reader.problems.push('FRAUD_HIGH_RISK_THRESHOLD must be at least FRAUD_REVIEW_THRESHOLD');
  if (config.bands.reject !== null && config.bands.reject < config.bands.highRisk) {
    reader.problems.push('FRAUD_REJECT_THRESHOLD must be 0 (off) or at least FRAUD_HIGH_RISK_THRESHOLD');
  }
  reader.done();
  return config;
}
