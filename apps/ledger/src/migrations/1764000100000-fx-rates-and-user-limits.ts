import { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_RUNTIME_ROLE } from './1763856000000-ledger-runtime-role';

/**
 * Purchases and withdrawals: stored FX rates (seeded with the transaction-processing defaults
 * 1 SGD = 3.50 MYR and 1 USD = 4.70 MYR), a row per user that serialises a user's debits so the
 * per-user daily limit holds under concurrent requests, and the rate snapshot on a transaction.
 */
export class FxRatesAndUserLimits1764000100000 implements MigrationInterface {
  name = 'FxRatesAndUserLimits1764000100000';

  async up(q: QueryRunner): Promise<void> {
    // 1 base = rate quote. The opposite direction is derived (1 ÷ rate), never stored twice.
    await q.query(`
      CREATE TABLE ledger.fx_rates (
        base_currency char(3) NOT NULL,
        quote_currency char(3) NOT NULL,
        rate numeric NOT NULL CHECK (rate > 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (base_currency, quote_currency),
        CONSTRAINT fx_rates_distinct_currencies CHECK (base_currency <> quote_currency)
      )`);
    await q.query(`INSERT INTO ledger.fx_rates (base_currency, quote_currency, rate) VALUES ('SGD', 'MYR', 3.50), ('USD', 'MYR', 4.70)`);

    // Locked FOR NO KEY UPDATE by every debit of the user; inserted on first use.
    await q.query(`
      CREATE TABLE ledger.user_limits (
        user_id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    // A purchase in another currency than the wallet's: what was bought, in what, at which rate.
    await q.query(`
      ALTER TABLE ledger.transactions
        ADD COLUMN original_amount bigint CHECK (original_amount > 0),
        ADD COLUMN original_currency char(3),
        ADD COLUMN fx_rate numeric CHECK (fx_rate > 0),
        ADD CONSTRAINT transactions_fx_snapshot_complete
          CHECK ((original_amount IS NULL) = (original_currency IS NULL) AND (original_amount IS NULL) = (fx_rate IS NULL))`);

    await q.query(`GRANT SELECT ON ledger.fx_rates TO ${LEDGER_RUNTIME_ROLE}`);
    // UPDATE is what SELECT … FOR NO KEY UPDATE needs.
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ledger.user_limits TO ${LEDGER_RUNTIME_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ledger.transactions
        DROP CONSTRAINT transactions_fx_snapshot_complete,
        DROP COLUMN fx_rate,
        DROP COLUMN original_currency,
        DROP COLUMN original_amount`);
    await q.query(`DROP TABLE ledger.user_limits`);
    await q.query(`DROP TABLE ledger.fx_rates`);
  }
}
