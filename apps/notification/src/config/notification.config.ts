import { BaseConfig, EnvReader, readBaseConfig, SettingDocs } from '@tally/bootstrap';

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

export interface EmailConfig {
  /** smtp://host:port (STARTTLS when offered; required with requireTls) or smtps://host:port (implicit TLS); user:pass in the URL. */
  smtpUrl: string;
  from: string;
  requireTls: boolean;
  tlsRejectUnauthorized: boolean;
  /** Opens the tokens identity seals into email links (X25519, base64url of the raw 32 bytes). */
  linkPrivateKey: string;
  /** Where email links point (the web app); the token rides in the fragment. */
  linkBaseUrl: string;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  pollMs: number;
}

export interface NotificationConfig extends BaseConfig {
  schema: 'notification';
  webhooks: WebhookConfig;
  email: EmailConfig;
}

/** What each variable is for (docs/configuration.md is generated from this and the loader). */
export const NOTIFICATION_SETTINGS: SettingDocs = {
  WEBHOOK_SECRET_KEY: 'encrypts stored webhook signing secrets (AES-256-GCM, key = SHA-256 of it)',
  WEBHOOK_DEV_HOSTS:
    'dev/test only (refused when NODE_ENV=production): hosts a webhook URL may name over plain http and that may resolve to private/loopback addresses (the test stack sets `127.0.0.1,localhost`)',
  WEBHOOK_MAX_ATTEMPTS: 'a failed delivery is given up after this many attempts',
  WEBHOOK_RETRY_BASE_MS: 'a failed delivery is retried after base × 2^(n−1) ms',
  WEBHOOK_RETRY_MAX_MS: 'the longest wait between two attempts',
  WEBHOOK_TIMEOUT_MS: 'the limit on one delivery attempt',
  WEBHOOK_POLL_MS: 'how often due deliveries are looked for',
  SMTP_URL: 'the mail server: `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`; required in production (`npm start` runs a local sink on 1025)',
  SMTP_FROM: 'the From of every email',
  SMTP_REQUIRE_TLS: 'refuse to send unless STARTTLS is negotiated (default true in production)',
  SMTP_TLS_REJECT_UNAUTHORIZED: "check the mail server's certificate (must stay true in production)",
  SMTP_ALLOW_PLAINTEXT: 'production only: allow plain SMTP to a relay beside the service (a sidecar, the compose mail catcher)',
  EMAIL_LINK_PRIVATE_KEY:
    'opens the email-link tokens identity seals to EMAIL_LINK_PUBLIC_KEY (X25519, base64url, 32 bytes); the repository dev key is refused in production',
  EMAIL_LINK_BASE_URL: 'where email links point (the web app; the token rides in the fragment); https in production',
  EMAIL_MAX_ATTEMPTS: 'a failed email is given up after this many attempts (a 5xx SMTP answer at once)',
  EMAIL_RETRY_BASE_MS: 'a failed email is retried after base × 2^(n−1) ms',
  EMAIL_RETRY_MAX_MS: 'the longest wait between two attempts',
  EMAIL_SEND_TIMEOUT_MS: 'the limit on connecting to, greeting and talking with the mail server',
  EMAIL_POLL_MS: 'how often queued emails are looked for',
};

const DEV_WEBHOOK_SECRET_KEY = 'tally-dev-only-webhook-secret-key-0123456789';
/** The private half of identity's DEV_EMAIL_LINK_PUBLIC_KEY: in the repository, so refused in production. */
export const DEV_EMAIL_LINK_PRIVATE_KEY = 'CFkkfA535TCzzKAfLWXPybGmhUqBhs3DU386mGP90WE';
/** `npm start`'s local SMTP sink (deploy/local/start-stack.mjs). */
const DEV_SMTP_URL = 'smtp://127.0.0.1:1025';

function readEmailConfig(reader: EnvReader, production: boolean): EmailConfig {
  const smtpUrl = reader.string('SMTP_URL', production ? undefined : DEV_SMTP_URL);
  let secure = false;
  try {
    const url = new URL(smtpUrl);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') reader.problems.push('SMTP_URL must start with smtp:// or smtps://');
    secure = url.protocol === 'smtps:';
  } catch {
    if (smtpUrl) reader.problems.push('SMTP_URL is not a URL (smtp://user:pass@host:port or smtps://…)');
  }
  const requireTls = reader.oneOf('SMTP_REQUIRE_TLS', ['true', 'false'] as const, production ? 'true' : 'false') === 'true';
  const tlsRejectUnauthorized = reader.oneOf('SMTP_TLS_REJECT_UNAUTHORIZED', ['true', 'false'] as const, 'true') === 'true';
  // A relay next to the service (a sidecar, a mail catcher in compose) may take plain SMTP, but only when said so.
  const allowPlaintext = reader.oneOf('SMTP_ALLOW_PLAINTEXT', ['true', 'false'] as const, 'false') === 'true';
  const linkPrivateKey = reader.secret('EMAIL_LINK_PRIVATE_KEY', DEV_EMAIL_LINK_PRIVATE_KEY, 43);
  if (!/^[A-Za-z0-9_-]{43}$/.test(linkPrivateKey)) reader.problems.push('EMAIL_LINK_PRIVATE_KEY must be a raw X25519 private key in base64url (43 characters)');
  const linkBaseUrl = reader.string('EMAIL_LINK_BASE_URL', 'http://localhost:8080/app');
  if (!/^https?:\/\/[^\s#?]+$/.test(linkBaseUrl)) reader.problems.push('EMAIL_LINK_BASE_URL must be an http(s) URL without query or fragment');
  if (production) {
    // Mail carries reset links: in production it never goes in clear nor to an unchecked server.
    if (!secure && !requireTls && !allowPlaintext) {
      reader.problems.push(
        'SMTP_URL must be smtps:// or SMTP_REQUIRE_TLS=true when NODE_ENV=production (or SMTP_ALLOW_PLAINTEXT=true for a relay beside the service)',
      );
    }
    if (!tlsRejectUnauthorized) reader.problems.push('SMTP_TLS_REJECT_UNAUTHORIZED must be true when NODE_ENV=production');
    if (!linkBaseUrl.startsWith('https://')) reader.problems.push('EMAIL_LINK_BASE_URL must be https:// when NODE_ENV=production');
  }
  return {
    smtpUrl,
    from: reader.string('SMTP_FROM', 'Tally <no-reply@tally.local>'),
    requireTls,
    tlsRejectUnauthorized,
    linkPrivateKey,
    linkBaseUrl,
    maxAttempts: reader.int('EMAIL_MAX_ATTEMPTS', 8, 1, 50),
    retryBaseMs: reader.int('EMAIL_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    retryMaxMs: reader.int('EMAIL_RETRY_MAX_MS', 3_600_000, 10, 86_400_000),
    timeoutMs: reader.int('EMAIL_SEND_TIMEOUT_MS', 10_000, 100, 120_000),
    pollMs: reader.int('EMAIL_POLL_MS', 1000, 10, 60_000),
  };
}

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  const reader = new EnvReader(env);
  const devHosts = reader.list('WEBHOOK_DEV_HOSTS', '', 'comma-separated host names', (host) => {
    if (!/^[\w.-]+$/.test(host)) throw new Error('is not a host name');
    return host.toLowerCase();
  });
  if (devHosts.length > 0 && reader.production) {
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
    email: readEmailConfig(reader, env.NODE_ENV === 'production'),
  };
  reader.done();
  return config;
}
