import { MigrationInterface, QueryRunner } from 'typeorm';

/** PATCH /v1/wallets/{id} (api-v1 v1.1): a wallet's own name, chosen by its holder. */
export class WalletNames1766200000000 implements MigrationInterface {
  name = 'WalletNames1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger.wallets ADD COLUMN name text CHECK (char_length(name) BETWEEN 1 AND 60)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger.wallets DROP COLUMN name`);
  }
}
