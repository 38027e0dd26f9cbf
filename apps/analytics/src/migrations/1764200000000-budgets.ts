import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Budgets per user, category and currency, and the thresholds already announced per period: the
 * primary key of budget_alerts is what makes a budget.threshold event go out once per budget,
 * period and threshold, however often the ledger events behind it are redelivered.
 */
export class Budgets1764200000000 implements MigrationInterface {
  name = 'Budgets1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics.budgets (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        category text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        period text NOT NULL CHECK (period IN ('monthly', 'quarterly', 'yearly')),
        alert_at integer[] NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT budgets_user_idempotency_key UNIQUE (user_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX budgets_user_category_idx ON analytics.budgets (user_id, category, currency)`);
    await q.query(`
      CREATE TABLE analytics.budget_alerts (
        budget_id uuid NOT NULL REFERENCES analytics.budgets (id),
        period_start timestamptz NOT NULL,
        threshold integer NOT NULL,
        spent_minor bigint NOT NULL,
        alerted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (budget_id, period_start, threshold)
      )`);
    // Budget progress sums a user's debits in one category and currency over a period.
    await q.query(`CREATE INDEX money_flows_user_category_idx ON analytics.money_flows (user_id, category, currency, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX analytics.money_flows_user_category_idx`);
    await q.query(`DROP TABLE analytics.budget_alerts`);
    await q.query(`DROP TABLE analytics.budgets`);
  }
}
