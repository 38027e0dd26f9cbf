import { BaseConfig, EnvReader, readBaseConfig, SettingDocs } from '@tally/bootstrap';
import { DecisionBands } from '../scoring/scoring-engine';

export const FRAUD_CONFIG = Symbol('FRAUD_CONFIG');

export interface FraudConfig extends BaseConfig {
  schema: 'fraud';
  /** Score bands: review (the seed's 60), high-risk review (80), automatic reject (off unless set). */
  bands: DecisionBands;
  /** The zone for an event that carries none (events from before wallets had one). */
  defaultTimeZone: string;
}

/** What each variable is for (docs/configuration.md is generated from this and the loader). */
export const FRAUD_SETTINGS: SettingDocs = {
  FRAUD_REJECT_THRESHOLD: 'a score at or above it is voided at once; 0 turns automatic rejection off',
  FRAUD_REVIEW_THRESHOLD: 'a score at or above it is held for review',
  FRAUD_HIGH_RISK_THRESHOLD: 'a held score at or above it is `high_risk` (listed first in the review queue)',
  FRAUD_DEFAULT_TIME_ZONE: 'the zone (IANA name) of the off-hours rule when a pending event carries none (events from before wallets had one)',
};

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
    defaultTimeZone: reader.parsed('FRAUD_DEFAULT_TIME_ZONE', 'UTC', 'an IANA time-zone name such as Asia/Kuala_Lumpur', (zone) => {
      // Intl refuses a zone it does not know; the off-hours rule reads the clock in it.
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone;
    }),
  };
  if (config.bands.highRisk < config.bands.review) reader.problems.push('FRAUD_HIGH_RISK_THRESHOLD must be at least FRAUD_REVIEW_THRESHOLD');
  if (config.bands.reject !== null && config.bands.reject < config.bands.highRisk) {
    reader.problems.push('FRAUD_REJECT_THRESHOLD must be 0 (off) or at least FRAUD_HIGH_RISK_THRESHOLD');
  }
  reader.done();
  return config;
}
