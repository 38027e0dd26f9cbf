import { randomBytes } from 'node:crypto';
import { SecretBox } from '@tally/auth';

/** A new signing secret: 32 random bytes, shown to the owner once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * Signing secrets are stored encrypted (AES-256-GCM, key = SHA-256 of WEBHOOK_SECRET_KEY), not
 * hashed: deliveries need the secret itself to sign. A stolen table alone does not reveal them.
 */
export class WebhookSecretBox extends SecretBox {}
