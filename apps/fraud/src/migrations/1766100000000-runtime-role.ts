import { MigrationInterface, QueryRunner } from 'typeorm';
import { revokeRuntimeGrantsSql, runtimeGrantsSql, serviceRoles } from '@tally/database';

/**
 * Least privilege (docs/security.md, "Postgres roles"): the fraud service logs in as `tally_fraud`,
 * a member of `tally_fraud_app`, which gets row access to this schema's tables and nothing else: no
 * DDL (the schema and its tables belong to the owner role its migrations run as).
 * The append-only tables (review_decisions, rule_changes) get SELECT and INSERT only, beside their triggers.
 */
export class RuntimeRole1766100000000 implements MigrationInterface {
  name = 'RuntimeRole1766100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of runtimeGrantsSql('fraud', serviceRoles('fraud').app, ['review_decisions', 'rule_changes'])) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of revokeRuntimeGrantsSql('fraud', serviceRoles('fraud').app)) await q.query(sql);
  }
}
