import { MigrationInterface, QueryRunner } from 'typeorm';
import { revokeRuntimeGrantsSql, runtimeGrantsSql, serviceRoles } from '@tally/database';

/**
 * Least privilege (docs/security.md, "Postgres roles"): the analytics service logs in as `tally_analytics`,
 * a member of `tally_analytics_app`, which gets row access to this schema's tables and nothing else: no
 * DDL (the schema and its tables belong to the owner role its migrations run as).
 * The append-only tables (audit_log) get SELECT and INSERT only, beside their triggers.
 */
export class RuntimeRole1766100000000 implements MigrationInterface {
  name = 'RuntimeRole1766100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of runtimeGrantsSql('analytics', serviceRoles('analytics').app, ['audit_log'])) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of revokeRuntimeGrantsSql('analytics', serviceRoles('analytics').app)) await q.query(sql);
  }
}
