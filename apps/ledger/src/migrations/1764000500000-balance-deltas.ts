import { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_RUNTIME_ROLE } from './1763856000000-ledger-runtime-role';

/**
 * Hot accounts without row locks. A posting that can only raise what an account may spend (every
 * credit; resolving or voiding a hold) cannot break the overdraft rule, so it no longer updates the
 * account's balance row: it appends a delta row instead, and nothing is locked. Only a debit that
 * raises posted or held debits of a guarded account (a wallet) updates its row, under the row lock
 * and the overdraft CHECK, after first folding the deltas it can see into that row, so the CHECK
 * counts every committed credit. A background fold (BalanceDeltaFolder) folds the rest in batches.
 *
 * `ledger.balances` becomes a view: the row plus its unfolded deltas, so every reader sees the
 * true balance whatever has been folded. The journal stays append-only; deltas are only a cache of
 * postings, which verification recomputes from the journal.
 *
 * The closed-wallet guard no longer rides on the balance row lock (a credit does not take it): it
 * takes a KEY SHARE lock on the wallet row, which a status change (FOR UPDATE) waits for and blocks.
 */
export class BalanceDeltas1764000500000 implements MigrationInterface {
  name = 'BalanceDeltas1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger.balances RENAME TO balance_rows`);
    await q.query(`ALTER TABLE ledger.balance_rows RENAME CONSTRAINT balances_pkey TO balance_rows_pkey`);
    await q.query(`
      CREATE TABLE ledger.balance_deltas (
        id bigserial PRIMARY KEY,
        account_id uuid NOT NULL,
        currency char(3) NOT NULL,
        posted_debits bigint NOT NULL,
        posted_credits bigint NOT NULL,
        pending_debits bigint NOT NULL,
        pending_credits bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX balance_deltas_account_idx ON ledger.balance_deltas (account_id)`);
    await q.query(`
      CREATE VIEW ledger.balances AS
      SELECT r.account_id, r.currency,
             (r.posted_debits + d.posted_debits)::bigint AS posted_debits,
             (r.posted_credits + d.posted_credits)::bigint AS posted_credits,
             (r.pending_debits + d.pending_debits)::bigint AS pending_debits,
             (r.pending_credits + d.pending_credits)::bigint AS pending_credits,
             r.debits_must_not_exceed_credits, r.updated_at
        FROM ledger.balance_rows r
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(x.posted_debits), 0) AS posted_debits, coalesce(sum(x.posted_credits), 0) AS posted_credits,
                 coalesce(sum(x.pending_debits), 0) AS pending_debits, coalesce(sum(x.pending_credits), 0) AS pending_credits
            FROM ledger.balance_deltas x WHERE x.account_id = r.account_id) d`);

    await q.query(`
      CREATE OR REPLACE FUNCTION ledger.apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        d bigint := CASE WHEN NEW.direction = 'D' THEN NEW.amount ELSE 0 END;
        c bigint := CASE WHEN NEW.direction = 'C' THEN NEW.amount ELSE 0 END;
        guarded boolean;
      BEGIN
        IF NEW.phase NOT IN ('posted', 'pending', 'post_pending', 'void_pending') THEN
          RAISE EXCEPTION 'unknown posting phase %', NEW.phase;
        END IF;
        SELECT debits_must_not_exceed_credits INTO guarded FROM ledger.balance_rows
         WHERE account_id = NEW.account_id AND currency = NEW.currency;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'posting to account % in % has no balance row', NEW.account_id, NEW.currency
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF guarded AND d > 0 AND NEW.phase IN ('posted', 'pending') THEN
          -- Spends from a guarded account: lock its row first, in a statement of its own, so the
          -- fold below runs on a snapshot taken after any fold that held the row had committed;
          -- then fold the deltas that snapshot sees, add the debit, and let the overdraft CHECK judge
          -- the row. (Folding before the lock let a concurrent fold hide committed credits.)
          PERFORM 1 FROM ledger.balance_rows WHERE account_id = NEW.account_id AND currency = NEW.currency FOR NO KEY UPDATE;
          WITH folded AS (DELETE FROM ledger.balance_deltas WHERE account_id = NEW.account_id RETURNING *),
               s AS (SELECT coalesce(sum(posted_debits), 0) AS pd, coalesce(sum(posted_credits), 0) AS pc,
                            coalesce(sum(pending_debits), 0) AS nd, coalesce(sum(pending_credits), 0) AS nc FROM folded)
          UPDATE ledger.balance_rows b
             SET posted_debits = b.posted_debits + s.pd + CASE WHEN NEW.phase = 'posted' THEN d ELSE 0 END,
                 posted_credits = b.posted_credits + s.pc,
                 pending_debits = b.pending_debits + s.nd + CASE WHEN NEW.phase = 'pending' THEN d ELSE 0 END,
                 pending_credits = b.pending_credits + s.nc,
                 updated_at = now()
            FROM s
           WHERE b.account_id = NEW.account_id AND b.currency = NEW.currency;
        ELSE
          INSERT INTO ledger.balance_deltas (account_id, currency, posted_debits, posted_credits, pending_debits, pending_credits)
          VALUES (NEW.account_id, NEW.currency,
                  CASE WHEN NEW.phase IN ('posted', 'post_pending') THEN d ELSE 0 END,
                  CASE WHEN NEW.phase IN ('posted', 'post_pending') THEN c ELSE 0 END,
                  CASE NEW.phase WHEN 'pending' THEN d WHEN 'posted' THEN 0 ELSE -d END,
                  CASE NEW.phase WHEN 'pending' THEN c WHEN 'posted' THEN 0 ELSE -c END);
        END IF;
        RETURN NULL;
      END $$`);

    await q.query(`
      CREATE OR REPLACE FUNCTION ledger.refuse_posting_to_closed_wallet() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        wallet_status text;
      BEGIN
        -- The row is locked whatever its status (a filter on status would skip the lock): KEY SHARE
        -- waits for a status change in progress (it locks FOR UPDATE) and then reads the committed
        -- status; a status change that comes later waits for this transaction.
        SELECT status INTO wallet_status FROM ledger.wallets WHERE account_id = NEW.account_id FOR KEY SHARE;
        IF wallet_status = 'closed' THEN
          RAISE EXCEPTION 'the wallet of account % is closed: no money moves in or out', NEW.account_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'postings_wallet_not_closed';
        END IF;
        RETURN NULL;
      END $$`);

    await q.query(`GRANT SELECT ON ledger.balances TO ${LEDGER_RUNTIME_ROLE}`);
    // UPDATE only because the fold locks delta rows (FOR UPDATE SKIP LOCKED) so it never waits on them; no code updates a delta.
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ledger.balance_deltas TO ${LEDGER_RUNTIME_ROLE}`);
    await q.query(`GRANT USAGE ON SEQUENCE ledger.balance_deltas_id_seq TO ${LEDGER_RUNTIME_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fold every delta into its row first, so no balance is lost on the way back.
    await q.query(`
      WITH gone AS (DELETE FROM ledger.balance_deltas RETURNING *),
           s AS (SELECT account_id, currency, sum(posted_debits) AS pd, sum(posted_credits) AS pc,
                        sum(pending_debits) AS nd, sum(pending_credits) AS nc FROM gone GROUP BY account_id, currency)
      UPDATE ledger.balance_rows b SET posted_debits = b.posted_debits + s.pd, posted_credits = b.posted_credits + s.pc,
             pending_debits = b.pending_debits + s.nd, pending_credits = b.pending_credits + s.nc
        FROM s WHERE b.account_id = s.account_id AND b.currency = s.currency`);
    await q.query(`DROP VIEW ledger.balances`);
    await q.query(`DROP TABLE ledger.balance_deltas`);
    await q.query(`ALTER TABLE ledger.balance_rows RENAME CONSTRAINT balance_rows_pkey TO balances_pkey`);
    await q.query(`ALTER TABLE ledger.balance_rows RENAME TO balances`);
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger.apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        d bigint := CASE WHEN NEW.direction = 'D' THEN NEW.amount ELSE 0 END;
        c bigint := CASE WHEN NEW.direction = 'C' THEN NEW.amount ELSE 0 END;
      BEGIN
        UPDATE ledger.balances
           SET posted_debits = posted_debits + CASE WHEN NEW.phase IN ('posted', 'post_pending') THEN d ELSE 0 END,
               posted_credits = posted_credits + CASE WHEN NEW.phase IN ('posted', 'post_pending') THEN c ELSE 0 END,
               pending_debits = pending_debits + CASE NEW.phase WHEN 'pending' THEN d WHEN 'posted' THEN 0 ELSE -d END,
               pending_credits = pending_credits + CASE NEW.phase WHEN 'pending' THEN c WHEN 'posted' THEN 0 ELSE -c END,
               updated_at = now()
         WHERE account_id = NEW.account_id AND currency = NEW.currency;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'posting to account % in % has no balance row', NEW.account_id, NEW.currency
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger.refuse_posting_to_closed_wallet() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM ledger.wallets WHERE account_id = NEW.account_id AND status = 'closed') THEN
          RAISE EXCEPTION 'the wallet of account % is closed: no money moves in or out', NEW.account_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'postings_wallet_not_closed';
        END IF;
        RETURN NULL;
      END $$`);
  }
}
