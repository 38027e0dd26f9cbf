import { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_RUNTIME_ROLE } from './1763856000000-ledger-runtime-role';

/**
 * Every listed currency gets a rate to MYR, so limits and fraud's high-value rule value every
 * amount (a GBP purchase was neither counted against the per-user daily limit nor scored high
 * value). Reference rates as data, to be kept current by admins through PUT /v1/admin/fx-rates;
 * each change is kept in ledger.fx_rate_changes (append-only) and announced for the audit log.
 */
export class RatesForEveryCurrency1765400000000 implements MigrationInterface {
  name = 'RatesForEveryCurrency1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO ledger.fx_rates (base_currency, quote_currency, rate) VALUES
        ('EUR', 'MYR', 4.90), ('GBP', 'MYR', 5.50), ('AUD', 'MYR', 2.95), ('CAD', 'MYR', 3.25),
        ('CHF', 'MYR', 5.25), ('CNY', 'MYR', 0.62), ('INR', 'MYR', 0.053), ('IDR', 'MYR', 0.00028),
        ('JPY', 'MYR', 0.030), ('KRW', 'MYR', 0.0032), ('THB', 'MYR', 0.13), ('VND', 'MYR', 0.00018),
        ('KWD', 'MYR', 15.30), ('BHD', 'MYR', 12.50), ('JOD', 'MYR', 6.63)
      ON CONFLICT (base_currency, quote_currency) DO NOTHING`);
    await q.query(`
      CREATE TABLE ledger.fx_rate_changes (
        id uuid PRIMARY KEY,
        base_currency char(3) NOT NULL,
        quote_currency char(3) NOT NULL,
        old_rate numeric CHECK (old_rate > 0),
        new_rate numeric NOT NULL CHECK (new_rate > 0),
        changed_by uuid NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX fx_rate_changes_pair_idx ON ledger.fx_rate_changes (base_currency, quote_currency, changed_at DESC)`);
    // The audit trail of rates is append-only, like the journal.
    await q.query(`
      CREATE FUNCTION ledger.refuse_fx_rate_change_edit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger.fx_rate_changes is append-only' USING ERRCODE = 'check_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER fx_rate_changes_append_only BEFORE UPDATE OR DELETE ON ledger.fx_rate_changes
        FOR EACH ROW EXECUTE FUNCTION ledger.refuse_fx_rate_change_edit()`);
    await q.query(`GRANT INSERT, UPDATE ON ledger.fx_rates TO ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`GRANT SELECT, INSERT ON ledger.fx_rate_changes TO ${LEDGER_RUNTIME_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger.fx_rate_changes`);
    await q.query(`DROP FUNCTION ledger.refuse_fx_rate_change_edit()`);
    await q.query(`REVOKE INSERT, UPDATE ON ledger.fx_rates FROM ${LEDGER_RUNTIME_ROLE}`);
    await q.query(
      `DELETE FROM ledger.fx_rates WHERE quote_currency = 'MYR' AND base_currency IN ('EUR','GBP','AUD','CAD','CHF','CNY','INR','IDR','JPY','KRW','THB','VND','KWD','BHD','JOD')`,
    );
  }
}
