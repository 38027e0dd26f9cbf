import { MigrationInterface, QueryRunner } from 'typeorm';

/** The gateway's only durable state: the Idempotency-Key records of creating and money-moving POSTs. */
export class CreateGatewaySchema1764100000000 implements MigrationInterface {
  name = 'CreateGatewaySchema1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gateway.idempotency_records (
        scope text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        status_code integer,
        response jsonb,
        locked_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_records_pkey PRIMARY KEY (scope, key)
      )`);
    await q.query(`COMMENT ON COLUMN gateway.idempotency_records.fingerprint IS 'sha256 of method, path and canonical JSON body'`);
    await q.query(`COMMENT ON COLUMN gateway.idempotency_records.status_code IS 'null while the first request is in progress'`);
    await q.query(`CREATE INDEX idempotency_records_expires_idx ON gateway.idempotency_records (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gateway.idempotency_records`);
  }
}
