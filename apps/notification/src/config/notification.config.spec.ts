import { loadNotificationConfig } from './notification.config';

describe('notification config', () => {
  it('has dev defaults: no dev hosts, 8 attempts, 5 s timeout', () => {
    const config = loadNotificationConfig({});
    expect(config.webhooks).toMatchObject({ devHosts: [], maxAttempts: 8, timeoutMs: 5000 });
    expect(config.webhooks.secretKey.length).toBeGreaterThanOrEqual(32);
  });

  it('reads the dev hosts as a lower-case list', () => {
    expect(loadNotificationConfig({ WEBHOOK_DEV_HOSTS: '127.0.0.1, LocalHost' }).webhooks.devHosts).toEqual(['127.0.0.1', 'localhost']);
  });

  it('in production needs WEBHOOK_SECRET_KEY and refuses dev hosts, naming both', () => {
    let message = '';
    try {
      loadNotificationConfig({ NODE_ENV: 'production', WEBHOOK_DEV_HOSTS: '127.0.0.1' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('WEBHOOK_SECRET_KEY');
    expect(message).toContain('WEBHOOK_DEV_HOSTS');
    expect(() => loadNotificationConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: 'k'.repeat(32) })).not.toThrow();
    expect(() => loadNotificationConfig({ WEBHOOK_SECRET_KEY: 'short' })).toThrow(/WEBHOOK_SECRET_KEY/);
  });
});
