import { BaseConfig, EnvReader, readBaseConfig } from '@tally/bootstrap';

export const NOTIFICATION_CONFIG = Symbol('NOTIFICATION_CONFIG');

export interface WebhookConfig {
  /** Encrypts the stored signing secrets (AES-256-GCM with a key derived from it). */
  secretKey: string;
  /**
   * Dev/test only: hosts a webhook URL may name over plain http and that may resolve to private
   * or loopback addresses (e.g. 127.0.0.1,localhost). Refused when NODE_ENV=production.
   */
  devHosts: string[];
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  pollMs: number;
}

export interface NotificationConfig extends BaseConfig {
  schema: 'notification';
  webhooks: WebhookConfig;
}

const DEV_WEBHOOK_SECRET_KEY = 'tally-dev-only-webhook-secret-key-0123456789';

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  const reader = new EnvReader(env);
  const devHosts = reader
    .string('WEBHOOK_DEV_HOSTS', '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (devHosts.length > 0 && env.NODE_ENV === 'production') {
    reader.problems.push('WEBHOOK_DEV_HOSTS must be empty when NODE_ENV=production (webhooks need https to public addresses)');
  }
  const config: NotificationConfig = {
    ...readBaseConfig(reader, 'notification', 8085),
    schema: 'notification',
    webhooks: {
      secretKey: reader.secret('WEBHOOK_SECRET_KEY', DEV_WEBHOOK_SECRET_KEY, 32),
      devHosts,
      maxAttempts: reader.int('WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
      retryBaseMs: reader.int('WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000),
      retryMaxMs: reader.int('WEBHOOK_RETRY_MAX_MS', 3_600_000, 10, 86_400_000),
      timeoutMs: reader.int('WEBHOOK_TIMEOUT_MS', 5000, 100, 60_000),
      pollMs: reader.int('WEBHOOK_POLL_MS', 1000, 10, 60_000),
    },
  };
  reader.done();
  return config;
}
