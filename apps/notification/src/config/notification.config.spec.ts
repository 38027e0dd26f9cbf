import { DEV_EMAIL_LINK_PRIVATE_KEY, loadNotificationConfig } from './notification.config';

// The service's Kafka principal, required in production.
const PRODUCTION_KAFKA = { KAFKA_USERNAME: 'tally-notification', KAFKA_PASSWORD: 'p'.repeat(24) };
const PRODUCTION_EMAIL = {
  ACTOR_ASSERTION_PUBLIC_KEYS: 'C'.repeat(43),
  SMTP_URL: 'smtps://mailer:secret@smtp.example.com:465',
  EMAIL_LINK_PRIVATE_KEY: 'B'.repeat(43),
  EMAIL_LINK_BASE_URL: 'https://tally.example/app',
};

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadNotificationConfig(env);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

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
    expect(() =>
      loadNotificationConfig({ NODE_ENV: 'production', ...PRODUCTION_KAFKA, ...PRODUCTION_EMAIL, WEBHOOK_SECRET_KEY: 'k'.repeat(32) }),
    ).not.toThrow();
    expect(() => loadNotificationConfig({ WEBHOOK_SECRET_KEY: 'short' })).toThrow(/WEBHOOK_SECRET_KEY/);
  });

  it('email: a local SMTP sink and the dev link key by default', () => {
    const { email } = loadNotificationConfig({});
    expect(email).toMatchObject({ smtpUrl: 'smtp://127.0.0.1:1025', requireTls: false, tlsRejectUnauthorized: true, maxAttempts: 8 });
    expect(email.linkPrivateKey).toBe(DEV_EMAIL_LINK_PRIVATE_KEY);
  });

  it('email in production: SMTP_URL and EMAIL_LINK_PRIVATE_KEY required, TLS on and checked, no dev key, https links', () => {
    const missing = problems({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: 'k'.repeat(32) });
    expect(missing).toContain('SMTP_URL is required');
    expect(missing).toContain('EMAIL_LINK_PRIVATE_KEY is required');
    const weak = problems({
      NODE_ENV: 'production',
      WEBHOOK_SECRET_KEY: 'k'.repeat(32),
      SMTP_URL: 'smtp://smtp.example.com:25',
      SMTP_REQUIRE_TLS: 'false',
      SMTP_TLS_REJECT_UNAUTHORIZED: 'false',
      EMAIL_LINK_PRIVATE_KEY: DEV_EMAIL_LINK_PRIVATE_KEY,
      EMAIL_LINK_BASE_URL: 'http://tally.example/app',
    });
    expect(weak).toContain('SMTP_URL must be smtps:// or SMTP_REQUIRE_TLS=true');
    expect(weak).toContain('SMTP_TLS_REJECT_UNAUTHORIZED must be true');
    expect(weak).toContain('EMAIL_LINK_PRIVATE_KEY must not be a development value from the repository');
    expect(weak).toContain('EMAIL_LINK_BASE_URL must be https://');
    // STARTTLS required (the production default) is enough on smtp://.
    expect(
      problems({
        NODE_ENV: 'production',
        ...PRODUCTION_KAFKA,
        WEBHOOK_SECRET_KEY: 'k'.repeat(32),
        ...PRODUCTION_EMAIL,
        SMTP_URL: 'smtp://smtp.example.com:587',
      }),
    ).toBe('');
    expect(problems({ SMTP_URL: 'http://x' })).toContain('SMTP_URL must start with smtp://');
    // Plain SMTP to a relay beside the service only when said so.
    expect(
      problems({
        NODE_ENV: 'production',
        ...PRODUCTION_KAFKA,
        WEBHOOK_SECRET_KEY: 'k'.repeat(32),
        ...PRODUCTION_EMAIL,
        SMTP_URL: 'smtp://relay:25',
        SMTP_REQUIRE_TLS: 'false',
        SMTP_ALLOW_PLAINTEXT: 'true',
      }),
    ).toBe('');
  });

  it("in production refuses the repository's values of WEBHOOK_SECRET_KEY and EMAIL_LINK_PRIVATE_KEY (code and compose), naming each", () => {
    const good = { NODE_ENV: 'production', WEBHOOK_SECRET_KEY: 'k'.repeat(32), ...PRODUCTION_KAFKA, ...PRODUCTION_EMAIL };
    expect(problems(good)).toBe('');
    for (const [name, value] of [
      ['WEBHOOK_SECRET_KEY', 'tally-dev-only-webhook-secret-key-0123456789'],
      ['WEBHOOK_SECRET_KEY', 'tally-compose-dev-only-webhook-key-change-me-012345'],
      ['EMAIL_LINK_PRIVATE_KEY', DEV_EMAIL_LINK_PRIVATE_KEY],
      ['EMAIL_LINK_PRIVATE_KEY', 'wLoaYT4RnIplmAxGMTlHTMTJ5ocyT78udtJO7jHrqWo'],
    ]) {
      expect(problems({ ...good, [name]: value })).toContain(`${name} must not be a development value from the repository`);
    }
  });
});
