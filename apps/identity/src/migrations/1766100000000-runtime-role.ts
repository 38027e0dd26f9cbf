import { MigrationInterface, QueryRunner } from 'typeorm';
import { revokeRuntimeGrantsSql, runtimeGrantsSql, serviceRoles } from '@tally/database';

/**
 * Least privilege (docs/security.md, "Postgres roles"): the identity service logs in as `tally_identity`,
 * a member of `tally_identity_app`, which gets row access to this schema's tables and nothing else: no
 * DDL (the schema and its tables belong to the owner role its migrations run as).
 */
export class RuntimeRole1766100000000 implements MigrationInterface {
  name = 'RuntimeRole1766100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of runtimeGrantsSql('identity', serviceRoles('identity').app)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of revokeRuntimeGrantsSql('identity', serviceRoles('identity').app)) await q.query(sql);
  }
}
