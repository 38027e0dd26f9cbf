import { MigrationInterface, QueryRunner } from 'typeorm';

/** PATCH and DELETE /v1/budgets/{id} (api-v1 v1.1): a deleted budget stays as a row (its create's Idempotency-Key still answers) but counts nothing. */
export class BudgetChanges1766200000000 implements MigrationInterface {
  name = 'BudgetChanges1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics.budgets ADD COLUMN deleted_at timestamptz`);
    await q.query(`ALTER TABLE analytics.budgets ADD COLUMN updated_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics.budgets DROP COLUMN updated_at`);
    await q.query(`ALTER TABLE analytics.budgets DROP COLUMN deleted_at`);
  }
}
