import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transactions an admin reversed. Their flows leave the projection, and a posted event that arrives
 * after the reversal (events of one transaction may travel on different partitions) is not counted.
 */
export class ReversedTransactions1764100000000 implements MigrationInterface {
  name = 'ReversedTransactions1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analytics.reversed_transactions (transaction_id uuid PRIMARY KEY, reversed_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analytics.reversed_transactions`);
  }
}
