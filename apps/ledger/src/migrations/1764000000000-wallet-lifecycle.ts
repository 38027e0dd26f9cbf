import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wallet lifecycle: each wallet's time zone (its limits count the holder's calendar day and month),
 * and a guard in the database that no money ever moves into or out of a closed wallet.
 *
 * Why a guard and not only the handlers' checks: a transfer reads the receiving wallet without
 * locking it, so a close could commit between that read and the credit, leaving money in a closed
 * wallet. The guard runs after the posting has updated (and so locked) the wallet's balance row;
 * closing locks that same row, checks it is empty and only then commits, so either the close sees
 * the credit (and refuses: not empty) or the guard sees the close (and refuses the credit).
 * The trigger's name sorts after postings_apply_balance, so it fires after the balance update.
 * Frozen is enforced by the handlers of user-initiated movements, not here: refunds and admin
 * reversals may still reach a frozen wallet.
 */
export class WalletLifecycle1764000000000 implements MigrationInterface {
  name = 'WalletLifecycle1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger.wallets ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'`);
    await q.query(`
      CREATE FUNCTION ledger.refuse_posting_to_closed_wallet() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A fresh snapshot (READ COMMITTED, volatile function): it sees a close that committed
        -- while this posting waited for the balance row.
        IF EXISTS (SELECT 1 FROM ledger.wallets WHERE account_id = NEW.account_id AND status = 'closed') THEN
          RAISE EXCEPTION 'the wallet of account % is closed: no money moves in or out', NEW.account_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'postings_wallet_not_closed';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER postings_wallet_not_closed AFTER INSERT ON ledger.postings
      FOR EACH ROW EXECUTE FUNCTION ledger.refuse_posting_to_closed_wallet()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER postings_wallet_not_closed ON ledger.postings`);
    await q.query(`DROP FUNCTION ledger.refuse_posting_to_closed_wallet`);
    await q.query(`ALTER TABLE ledger.wallets DROP COLUMN time_zone`);
  }
}
