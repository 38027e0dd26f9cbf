import { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@tally/messaging';

/**
 * The journal and its guards. Postgres itself refuses an unbalanced entry (deferred check per
 * currency), any UPDATE/DELETE/TRUNCATE of journal rows, and an overdraft of a flagged account
 * (CHECK on balances, which a trigger keeps in step with every posting).
 */
export class CreateLedgerSchema1763769600000 implements MigrationInterface {
  name = 'CreateLedgerSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger.accounts (
        id uuid PRIMARY KEY,
        code text NOT NULL,
        type text NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
        currency char(3) NOT NULL,
        owner_id uuid,
        debits_must_not_exceed_credits boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT accounts_code_key UNIQUE (code)
      )`);
    await q.query(`
      CREATE TABLE ledger.balances (
        account_id uuid PRIMARY KEY REFERENCES ledger.accounts (id),
        currency char(3) NOT NULL,
        posted_debits bigint NOT NULL DEFAULT 0 CHECK (posted_debits >= 0),
        posted_credits bigint NOT NULL DEFAULT 0 CHECK (posted_credits >= 0),
        pending_debits bigint NOT NULL DEFAULT 0 CHECK (pending_debits >= 0),
        pending_credits bigint NOT NULL DEFAULT 0 CHECK (pending_credits >= 0),
        debits_must_not_exceed_credits boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT balances_no_overdraft
          CHECK (NOT debits_must_not_exceed_credits OR posted_debits + pending_debits <= posted_credits)
      )`);
    await q.query(`
      CREATE TABLE ledger.journal_entries (
        id uuid PRIMARY KEY,
        transaction_id uuid NOT NULL,
        kind text NOT NULL,
        phase text NOT NULL CHECK (phase IN ('posted', 'pending', 'post_pending', 'void_pending')),
        pending_entry_id uuid REFERENCES ledger.journal_entries (id),
        description text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT journal_entries_resolves_pending
          CHECK ((phase IN ('post_pending', 'void_pending')) = (pending_entry_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX journal_entries_transaction_idx ON ledger.journal_entries (transaction_id)`);
    // A pending entry is resolved (posted or voided) at most once.
    await q.query(`CREATE UNIQUE INDEX journal_entries_pending_resolved_once ON ledger.journal_entries (pending_entry_id) WHERE pending_entry_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE ledger.postings (
        id bigserial PRIMARY KEY,
        entry_id uuid NOT NULL REFERENCES ledger.journal_entries (id),
        account_id uuid NOT NULL REFERENCES ledger.accounts (id),
        phase text NOT NULL,
        direction char(1) NOT NULL CHECK (direction IN ('D', 'C')),
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX postings_entry_idx ON ledger.postings (entry_id)`);
    await q.query(`CREATE INDEX postings_account_idx ON ledger.postings (account_id, created_at)`);

    await q.query(`
      CREATE FUNCTION ledger.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger journal is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of ['journal_entries', 'postings']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ledger.${table}
        FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ledger.${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change()`);
    }

    // Balances follow postings in the same transaction: the code cannot forget to update them.
    await q.query(`
      CREATE FUNCTION ledger.apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        d bigint := CASE WHEN NEW.direction = 'D' THEN NEW.amount ELSE 0 END;
        c bigint := CASE WHEN NEW.direction = 'C' THEN NEW.amount ELSE 0 END;
      BEGIN
        IF NEW.phase = 'posted' THEN
          UPDATE ledger.balances SET posted_debits = posted_debits + d, posted_credits = posted_credits + c, updated_at = now()
           WHERE account_id = NEW.account_id AND currency = NEW.currency;
        ELSIF NEW.phase = 'pending' THEN
          UPDATE ledger.balances SET pending_debits = pending_debits + d, pending_credits = pending_credits + c, updated_at = now()
           WHERE account_id = NEW.account_id AND currency = NEW.currency;
        ELSIF NEW.phase = 'post_pending' THEN
          UPDATE ledger.balances SET pending_debits = pending_debits - d, pending_credits = pending_credits - c,
                 posted_debits = posted_debits + d, posted_credits = posted_credits + c, updated_at = now()
           WHERE account_id = NEW.account_id AND currency = NEW.currency;
        ELSIF NEW.phase = 'void_pending' THEN
          UPDATE ledger.balances SET pending_debits = pending_debits - d, pending_credits = pending_credits - c, updated_at = now()
           WHERE account_id = NEW.account_id AND currency = NEW.currency;
        ELSE
          RAISE EXCEPTION 'unknown posting phase %', NEW.phase;
        END IF;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'posting to account % in % has no balance row', NEW.account_id, NEW.currency
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER postings_apply_balance AFTER INSERT ON ledger.postings
      FOR EACH ROW EXECUTE FUNCTION ledger.apply_posting()`);

    // Checked at commit, when all of an entry's postings are in.
    await q.query(`
      CREATE FUNCTION ledger.check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unbalanced text;
      BEGIN
        SELECT currency INTO unbalanced FROM ledger.postings WHERE entry_id = NEW.entry_id
         GROUP BY currency HAVING sum(CASE WHEN direction = 'D' THEN amount ELSE -amount END) <> 0 LIMIT 1;
        IF unbalanced IS NOT NULL THEN
          RAISE EXCEPTION 'journal entry % does not balance in %', NEW.entry_id, unbalanced
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER postings_balanced AFTER INSERT ON ledger.postings
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger.check_entry_balanced()`);

    await q.query(`
      CREATE TABLE ledger.wallets (
        id uuid PRIMARY KEY,
        wallet_number text NOT NULL,
        user_id uuid NOT NULL,
        account_id uuid NOT NULL REFERENCES ledger.accounts (id),
        currency char(3) NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'closed')),
        pin_hash text NOT NULL,
        failed_pin_attempts integer NOT NULL DEFAULT 0,
        daily_limit bigint NOT NULL CHECK (daily_limit > 0),
        monthly_limit bigint NOT NULL CHECK (monthly_limit > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT wallets_number_key UNIQUE (wallet_number),
        CONSTRAINT wallets_account_key UNIQUE (account_id)
      )`);
    await q.query(`CREATE INDEX wallets_user_idx ON ledger.wallets (user_id)`);

    await q.query(`
      CREATE TABLE ledger.transactions (
        id uuid PRIMARY KEY,
        reference text NOT NULL,
        type text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'completed', 'failed', 'voided', 'reversed')),
        wallet_id uuid NOT NULL REFERENCES ledger.wallets (id),
        user_id uuid NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        fee bigint NOT NULL DEFAULT 0 CHECK (fee >= 0),
        currency char(3) NOT NULL,
        counterparty_wallet_id uuid,
        counterparty_user_id uuid,
        counterparty_wallet_number text,
        merchant_name text,
        merchant_category text,
        description text NOT NULL DEFAULT '',
        fraud_score integer,
        fraud_flags text[],
        original_transaction_id uuid,
        refunded_amount bigint NOT NULL DEFAULT 0,
        pending_entry_id uuid REFERENCES ledger.journal_entries (id),
        linked_transaction_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CONSTRAINT transactions_reference_key UNIQUE (reference)
      )`);
    await q.query(`CREATE INDEX transactions_wallet_created_idx ON ledger.transactions (wallet_id, created_at DESC)`);
    await q.query(`CREATE INDEX transactions_user_created_idx ON ledger.transactions (user_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE ledger.idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        command text NOT NULL,
        request_hash text NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await createMessagingTables(q, 'ledger');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'ledger');
    for (const table of ['idempotency_keys', 'transactions', 'wallets', 'postings', 'journal_entries', 'balances', 'accounts']) {
      await q.query(`DROP TABLE ledger.${table}`);
    }
    await q.query(`DROP FUNCTION ledger.check_entry_balanced, ledger.apply_posting, ledger.refuse_change`);
  }
}
