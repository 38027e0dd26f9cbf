import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * api-v1's Idempotency-Key on POST /v1/me/api-keys. The key's secret is stored only hashed, so the
 * gateway cannot replay the first answer; identity remembers the key (and a hash of the request)
 * on the API key row itself and answers a replay with the same key, minus the secret.
 */
export class ApiKeyIdempotency1764201600000 implements MigrationInterface {
  name = 'ApiKeyIdempotency1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.api_keys ADD COLUMN idempotency_key text, ADD COLUMN request_hash text`);
    await q.query(`CREATE UNIQUE INDEX api_keys_idempotency_idx ON identity.api_keys (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX identity.api_keys_idempotency_idx`);
    await q.query(`ALTER TABLE identity.api_keys DROP COLUMN request_hash, DROP COLUMN idempotency_key`);
  }
}
