import { MigrationInterface, QueryRunner } from 'typeorm';
import { LEDGER_RUNTIME_ROLE } from './1763856000000-ledger-runtime-role';

/**
 * The posting kernel's side of the database (see apps/ledger/src/posting). A batch of commands is
 * written in one transaction with two calls: `ledger.load_batch` claims idempotency keys and inbox
 * ids, takes every lock the batch needs in one fixed order, and returns what the commands decide
 * on; `ledger.write_batch` inserts the batch's rows with one statement per table.
 *
 * The guards stay in the database, checked per statement instead of per row: the postings of a
 * statement fire one trigger that refuses an unbalanced entry (per currency), a posting without a
 * balance row, or one that touches a closed wallet, and applies the balances: a guarded account
 * that is debited (a wallet spending, a goal emptied) has its row locked, its deltas folded and its
 * postings applied under the overdraft CHECK; every other account gets one delta row per
 * statement. An entry's postings therefore go in with one statement (the journal repository and
 * write_batch do so). The balance functions are SECURITY DEFINER, so the runtime role changes
 * balance rows only through them. PINs get a lock that ends (`pin_locked_until`).
 */
export class PostingKernel1765000000000 implements MigrationInterface {
  name = 'PostingKernel1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger.wallets ADD COLUMN pin_locked_until timestamptz`);
    await q.query(`DROP TRIGGER postings_apply_balance ON ledger.postings`);
    await q.query(`DROP TRIGGER postings_balanced ON ledger.postings`);
    await q.query(`DROP TRIGGER postings_wallet_not_closed ON ledger.postings`);
    await q.query(`
      CREATE FUNCTION ledger.apply_postings() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, pg_temp AS $$
      DECLARE
        bad record;
        spenders uuid[];
      BEGIN
        SELECT a.phase INTO bad FROM added a WHERE a.phase NOT IN ('posted', 'pending', 'post_pending', 'void_pending') LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'unknown posting phase %', bad.phase USING ERRCODE = 'check_violation';
        END IF;
        SELECT a.entry_id, a.currency INTO bad FROM added a GROUP BY a.entry_id, a.currency
         HAVING sum(CASE WHEN a.direction = 'D' THEN a.amount ELSE -a.amount END) <> 0 LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'journal entry % does not balance in %', bad.entry_id, bad.currency USING ERRCODE = 'check_violation';
        END IF;
        SELECT a.account_id, a.currency INTO bad FROM added a
          LEFT JOIN ledger.balance_rows b ON b.account_id = a.account_id AND b.currency = a.currency
         WHERE b.account_id IS NULL LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'posting to account % in % has no balance row', bad.account_id, bad.currency
            USING ERRCODE = 'foreign_key_violation';
        END IF;

        -- Closed wallets: KEY SHARE waits for a status change in flight (it locks FOR UPDATE) and
        -- makes a later one wait for this transaction; then the status read is the committed one.
        PERFORM 1 FROM ledger.wallets w WHERE w.account_id IN (SELECT a.account_id FROM added a) ORDER BY w.id FOR KEY SHARE;
        SELECT w.account_id INTO bad FROM ledger.wallets w
         WHERE w.account_id IN (SELECT a.account_id FROM added a) AND w.status = 'closed' LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'the wallet of account % is closed: no money moves in or out', bad.account_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'postings_wallet_not_closed';
        END IF;

        -- Guarded accounts this statement spends from: lock their rows first, in a statement of its
        -- own, so the fold below reads a snapshot taken after any fold that held them committed.
        spenders := ARRAY(
          SELECT DISTINCT b.account_id FROM ledger.balance_rows b JOIN added a ON a.account_id = b.account_id AND a.currency = b.currency
           WHERE b.debits_must_not_exceed_credits AND a.direction = 'D' AND a.phase IN ('posted', 'pending'));
        PERFORM 1 FROM ledger.balance_rows b WHERE b.account_id = ANY(spenders) ORDER BY b.account_id FOR NO KEY UPDATE;
        WITH folded AS (
               DELETE FROM ledger.balance_deltas d WHERE d.account_id = ANY(spenders) RETURNING d.*),
             deltas AS (
               SELECT f.account_id, sum(f.posted_debits) AS pd, sum(f.posted_credits) AS pc,
                      sum(f.pending_debits) AS nd, sum(f.pending_credits) AS nc
                 FROM folded f GROUP BY f.account_id),
             own AS (
               SELECT a.account_id,
                      sum(CASE WHEN a.direction = 'D' AND a.phase IN ('posted', 'post_pending') THEN a.amount ELSE 0 END) AS pd,
                      sum(CASE WHEN a.direction = 'C' AND a.phase IN ('posted', 'post_pending') THEN a.amount ELSE 0 END) AS pc,
                      sum(CASE WHEN a.direction <> 'D' THEN 0 WHEN a.phase = 'pending' THEN a.amount WHEN a.phase = 'posted' THEN 0 ELSE -a.amount END) AS nd,
                      sum(CASE WHEN a.direction <> 'C' THEN 0 WHEN a.phase = 'pending' THEN a.amount WHEN a.phase = 'posted' THEN 0 ELSE -a.amount END) AS nc
                 FROM added a WHERE a.account_id = ANY(spenders) GROUP BY a.account_id)
        UPDATE ledger.balance_rows b
           SET posted_debits = b.posted_debits + coalesce(d.pd, 0) + o.pd,
               posted_credits = b.posted_credits + coalesce(d.pc, 0) + o.pc,
               pending_debits = b.pending_debits + coalesce(d.nd, 0) + o.nd,
               pending_credits = b.pending_credits + coalesce(d.nc, 0) + o.nc,
               updated_at = now()
          FROM own o LEFT JOIN deltas d ON d.account_id = o.account_id
         WHERE b.account_id = o.account_id;

        -- Everything else only raises what an account may spend: one delta per account, no lock.
        INSERT INTO ledger.balance_deltas (account_id, currency, posted_debits, posted_credits, pending_debits, pending_credits)
        SELECT a.account_id, a.currency,
               sum(CASE WHEN a.direction = 'D' AND a.phase IN ('posted', 'post_pending') THEN a.amount ELSE 0 END),
               sum(CASE WHEN a.direction = 'C' AND a.phase IN ('posted', 'post_pending') THEN a.amount ELSE 0 END),
               sum(CASE WHEN a.direction <> 'D' THEN 0 WHEN a.phase = 'pending' THEN a.amount WHEN a.phase = 'posted' THEN 0 ELSE -a.amount END),
               sum(CASE WHEN a.direction <> 'C' THEN 0 WHEN a.phase = 'pending' THEN a.amount WHEN a.phase = 'posted' THEN 0 ELSE -a.amount END)
          FROM added a WHERE NOT a.account_id = ANY(spenders)
         GROUP BY a.account_id, a.currency;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER postings_apply AFTER INSERT ON ledger.postings
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger.apply_postings()`);

    // The background fold, as a function the runtime role may call (it may not update balance rows itself).
    await q.query(`
      CREATE FUNCTION ledger.fold_balance_deltas(batch integer) RETURNS integer LANGUAGE sql SECURITY DEFINER
      SET search_path = pg_catalog, pg_temp AS $$
        WITH picked AS (
               SELECT id, account_id FROM ledger.balance_deltas ORDER BY id LIMIT batch FOR UPDATE SKIP LOCKED),
             accounts AS (
               SELECT account_id FROM ledger.balance_rows
                WHERE account_id IN (SELECT DISTINCT account_id FROM picked)
                FOR NO KEY UPDATE SKIP LOCKED),
             gone AS (
               DELETE FROM ledger.balance_deltas d USING picked p
                WHERE d.id = p.id AND p.account_id IN (SELECT account_id FROM accounts)
                RETURNING d.*),
             sums AS (
               SELECT account_id, currency, count(*) AS n,
                      sum(posted_debits) AS pd, sum(posted_credits) AS pc, sum(pending_debits) AS nd, sum(pending_credits) AS nc
                 FROM gone GROUP BY account_id, currency),
             updated AS (
               UPDATE ledger.balance_rows b
                  SET posted_debits = b.posted_debits + s.pd, posted_credits = b.posted_credits + s.pc,
                      pending_debits = b.pending_debits + s.nd, pending_credits = b.pending_credits + s.nc, updated_at = now()
                 FROM sums s
                WHERE b.account_id = s.account_id AND b.currency = s.currency
                RETURNING s.n)
        SELECT coalesce(sum(n), 0)::integer FROM updated
      $$`);

    await q.query(LOAD_BATCH);
    await q.query(WRITE_BATCH);
    await q.query(
      `GRANT EXECUTE ON FUNCTION ledger.load_batch(jsonb), ledger.write_batch(jsonb), ledger.fold_balance_deltas(integer) TO ${LEDGER_RUNTIME_ROLE}`,
    );
    // A refused command gives its idempotency claim back (only outcomes that happened are kept).
    await q.query(`GRANT DELETE ON ledger.idempotency_keys TO ${LEDGER_RUNTIME_ROLE}`);
    // The inbox of a batch is claimed by load_batch (fraud decisions, holds swept).
    await q.query(`GRANT SELECT, INSERT ON ledger.inbox TO ${LEDGER_RUNTIME_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger.write_batch(jsonb), ledger.load_batch(jsonb), ledger.fold_balance_deltas(integer)`);
    await q.query(`DROP TRIGGER postings_apply ON ledger.postings`);
    await q.query(`DROP FUNCTION ledger.apply_postings()`);
    // The per-row triggers of the earlier migrations; their functions are still there.
    await q.query(`CREATE TRIGGER postings_apply_balance AFTER INSERT ON ledger.postings FOR EACH ROW EXECUTE FUNCTION ledger.apply_posting()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER postings_balanced AFTER INSERT ON ledger.postings
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger.check_entry_balanced()`);
    await q.query(`
      CREATE TRIGGER postings_wallet_not_closed AFTER INSERT ON ledger.postings
      FOR EACH ROW EXECUTE FUNCTION ledger.refuse_posting_to_closed_wallet()`);
    await q.query(`ALTER TABLE ledger.wallets DROP COLUMN pin_locked_until`);
  }
}

/**
 * One call that prepares a batch: claims, locks in one order (idempotency keys, inbox ids, users,
 * spending wallets, goals, credited wallets, transactions; each sorted), then reads. Amounts come
 * back as text (a JSON number would lose a bigint's precision in JavaScript).
 */
const LOAD_BATCH = `
CREATE FUNCTION ledger.load_batch(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  users uuid[] := ARRAY(SELECT x::uuid FROM jsonb_array_elements_text(coalesce(p->'users', '[]')) AS x ORDER BY 1);
  spenders uuid[] := ARRAY(SELECT x::uuid FROM jsonb_array_elements_text(coalesce(p->'wallets', '[]')) AS x ORDER BY 1);
  goal_ids uuid[] := ARRAY(SELECT x::uuid FROM jsonb_array_elements_text(coalesce(p->'goals', '[]')) AS x ORDER BY 1);
  numbers text[] := ARRAY(SELECT x FROM jsonb_array_elements_text(coalesce(p->'walletNumbers', '[]')) AS x);
  shared uuid[] := ARRAY(SELECT x::uuid FROM jsonb_array_elements_text(coalesce(p->'sharedWallets', '[]')) AS x);
  tx_ids uuid[] := ARRAY(SELECT x::uuid FROM jsonb_array_elements_text(coalesce(p->'transactions', '[]')) AS x ORDER BY 1);
  wallet_ids uuid[];
  claimed jsonb := '[]';
  inboxed jsonb := '[]';
  claims jsonb := '[]';
BEGIN
  IF jsonb_array_length(coalesce(p->'claims', '[]')) > 0 THEN
    WITH wanted AS (
           SELECT c.scope, c.key, c.command, c.hash FROM jsonb_to_recordset(p->'claims') AS c (scope text, key text, command text, hash text)
            ORDER BY c.scope, c.key),
         inserted AS (
           INSERT INTO ledger.idempotency_keys (scope, key, command, request_hash)
           SELECT scope, key, command, hash FROM wanted ON CONFLICT (scope, key) DO NOTHING RETURNING scope, key)
    SELECT coalesce(jsonb_agg(jsonb_build_object('scope', i.scope, 'key', i.key)), '[]') INTO claimed FROM inserted i;
    SELECT coalesce(jsonb_agg(jsonb_build_object('scope', k.scope, 'key', k.key, 'command', k.command, 'request_hash', k.request_hash, 'response', k.response)), '[]')
      INTO claims
      FROM jsonb_to_recordset(p->'claims') AS c (scope text, key text)
      JOIN ledger.idempotency_keys k ON k.scope = c.scope AND k.key = c.key;
  END IF;
  IF jsonb_array_length(coalesce(p->'inbox', '[]')) > 0 THEN
    WITH inserted AS (
           INSERT INTO ledger.inbox (event_id, topic, event_type)
           SELECT e.id, e.topic, e.type FROM jsonb_to_recordset(p->'inbox') AS e (id uuid, topic text, type text) ORDER BY e.id
           ON CONFLICT (event_id) DO NOTHING RETURNING event_id)
    SELECT coalesce(jsonb_agg(i.event_id), '[]') INTO inboxed FROM inserted i;
  END IF;

  -- The locks, in one order for every batch: users, spending wallets, goals, credited wallets, transactions.
  IF cardinality(users) > 0 THEN
    INSERT INTO ledger.user_limits (user_id) SELECT unnest(users) ON CONFLICT (user_id) DO NOTHING;
    PERFORM 1 FROM ledger.user_limits WHERE user_id = ANY(users) ORDER BY user_id FOR NO KEY UPDATE;
  END IF;
  IF cardinality(spenders) > 0 THEN
    PERFORM 1 FROM ledger.wallets WHERE id = ANY(spenders) ORDER BY id FOR NO KEY UPDATE;
  END IF;
  IF cardinality(goal_ids) > 0 THEN
    PERFORM 1 FROM ledger.goals WHERE id = ANY(goal_ids) ORDER BY id FOR NO KEY UPDATE;
  END IF;
  IF cardinality(numbers) > 0 THEN
    shared := shared || ARRAY(SELECT id FROM ledger.wallets WHERE wallet_number = ANY(numbers));
  END IF;
  IF cardinality(shared) > 0 THEN
    PERFORM 1 FROM ledger.wallets WHERE id = ANY(shared) ORDER BY id FOR KEY SHARE;
  END IF;
  IF cardinality(tx_ids) > 0 THEN
    PERFORM 1 FROM ledger.transactions WHERE id = ANY(tx_ids) ORDER BY id FOR UPDATE;
    -- The wallets of the transactions (a refund's purchase), read without a lock.
    shared := shared || ARRAY(SELECT wallet_id FROM ledger.transactions WHERE id = ANY(tx_ids));
  END IF;
  wallet_ids := spenders || shared;

  RETURN jsonb_build_object(
    'now', now(),
    'claimed', claimed,
    'inboxed', inboxed,
    'claims', claims,
    'wallets', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', w.id, 'wallet_number', w.wallet_number, 'user_id', w.user_id, 'account_id', w.account_id, 'currency', trim(w.currency),
               'status', w.status, 'pin_hash', w.pin_hash, 'failed_pin_attempts', w.failed_pin_attempts, 'pin_locked_until', w.pin_locked_until,
               'daily_limit', w.daily_limit::text, 'monthly_limit', w.monthly_limit::text, 'time_zone', w.time_zone,
               'created_at', w.created_at, 'updated_at', w.updated_at)), '[]')
        FROM ledger.wallets w WHERE w.id = ANY(wallet_ids)),
    'goals', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', g.id, 'user_id', g.user_id, 'account_id', g.account_id, 'name', g.name, 'target_amount', g.target_amount::text,
               'currency', trim(g.currency),
               'milestones', coalesce((SELECT array_agg(m.milestone ORDER BY m.milestone) FROM ledger.goal_milestones m WHERE m.goal_id = g.id), '{}'))), '[]')
        FROM ledger.goals g WHERE g.id = ANY(goal_ids)),
    'transactions', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'reference', t.reference, 'type', t.type, 'status', t.status, 'wallet_id', t.wallet_id, 'user_id', t.user_id,
               'amount', t.amount::text, 'fee', t.fee::text, 'currency', trim(t.currency), 'counterparty_wallet_id', t.counterparty_wallet_id,
               'counterparty_user_id', t.counterparty_user_id, 'counterparty_wallet_number', t.counterparty_wallet_number,
               'merchant_name', t.merchant_name, 'merchant_category', t.merchant_category, 'description', t.description,
               'fraud_score', t.fraud_score, 'fraud_flags', t.fraud_flags, 'original_transaction_id', t.original_transaction_id,
               'refunded_amount', t.refunded_amount::text, 'pending_entry_id', t.pending_entry_id, 'linked_transaction_id', t.linked_transaction_id,
               'created_at', t.created_at, 'completed_at', t.completed_at, 'original_amount', t.original_amount::text,
               'original_currency', trim(t.original_currency), 'fx_rate', t.fx_rate::text, 'goal_id', t.goal_id)), '[]')
        FROM ledger.transactions t WHERE t.id = ANY(tx_ids)),
    -- The entry that moved each transaction's money: its held entry, else its first posted one.
    'postings', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'transaction_id', m.transaction_id, 'entry_id', po.entry_id, 'account_id', po.account_id, 'code', a.code,
               'direction', po.direction, 'amount', po.amount::text, 'currency', trim(po.currency)) ORDER BY po.id), '[]')
        FROM (SELECT t.id AS transaction_id,
                     coalesce(t.pending_entry_id, (SELECT e.id FROM ledger.journal_entries e
                                                    WHERE e.transaction_id = t.id AND e.phase = 'posted' AND e.kind <> 'reversal'
                                                    ORDER BY e.created_at LIMIT 1)) AS entry_id
                FROM ledger.transactions t WHERE t.id = ANY(tx_ids)) m
        JOIN ledger.postings po ON po.entry_id = m.entry_id JOIN ledger.accounts a ON a.id = po.account_id),
    'balances', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'account_id', b.account_id, 'posted_debits', b.posted_debits::text, 'posted_credits', b.posted_credits::text,
               'pending_debits', b.pending_debits::text, 'pending_credits', b.pending_credits::text)), '[]')
        FROM ledger.balances b
       WHERE b.account_id = ANY(ARRAY(SELECT account_id FROM ledger.wallets WHERE id = ANY(wallet_ids)
                                      UNION ALL SELECT account_id FROM ledger.goals WHERE id = ANY(goal_ids)))),
    'spending', (
      SELECT coalesce(jsonb_agg(jsonb_build_object('wallet_id', s."walletId", 'daily', x.daily::text, 'monthly', x.monthly::text)), '[]')
        FROM jsonb_to_recordset(coalesce(p->'spending', '[]')) AS s ("walletId" uuid, "dayStart" timestamptz, "monthStart" timestamptz, types text[])
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(t.amount + t.fee) FILTER (WHERE t.created_at >= s."dayStart"), 0) AS daily, coalesce(sum(t.amount + t.fee), 0) AS monthly
            FROM ledger.transactions t
           WHERE t.wallet_id = s."walletId" AND t.created_at >= s."monthStart" AND t.type = ANY(s.types) AND t.status IN ('pending', 'completed')) x),
    'userSpending', (
      SELECT coalesce(jsonb_agg(jsonb_build_object('user_id', u."userId", 'currency', x.currency, 'total', x.total::text)), '[]')
        FROM jsonb_to_recordset(coalesce(p->'userSpending', '[]')) AS u ("userId" uuid, "dayStart" timestamptz, types text[])
        CROSS JOIN LATERAL (
          SELECT trim(t.currency) AS currency, sum(t.amount + t.fee) AS total
            FROM ledger.transactions t
           WHERE t.user_id = u."userId" AND t.created_at >= u."dayStart" AND t.type = ANY(u.types) AND t.status IN ('pending', 'completed')
           GROUP BY t.currency) x),
    'rates', (
      SELECT coalesce(jsonb_agg(jsonb_build_object('base', trim(r.base_currency), 'quote', trim(r.quote_currency), 'rate', r.rate::text)), '[]')
        FROM ledger.fx_rates r));
END $$`;

/** One call that writes a decided batch: one statement per table, the postings' trigger guarding them all at once. */
const WRITE_BATCH = `
CREATE FUNCTION ledger.write_batch(p jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF jsonb_array_length(coalesce(p->'transactions', '[]')) > 0 THEN
    INSERT INTO ledger.transactions
      (id, reference, type, status, wallet_id, user_id, amount, fee, currency, counterparty_wallet_id, counterparty_user_id,
       counterparty_wallet_number, description, pending_entry_id, linked_transaction_id, completed_at, merchant_name,
       merchant_category, original_amount, original_currency, fx_rate, original_transaction_id, goal_id)
    SELECT t.id, t.reference, t.type, t.status, t."walletId", t."userId", t.amount::bigint, t.fee::bigint, t.currency,
           t."counterpartyWalletId", t."counterpartyUserId", t."counterpartyWalletNumber", coalesce(t.description, ''),
           t."pendingEntryId", t."linkedTransactionId", CASE WHEN t.status = 'completed' THEN now() END, t."merchantName",
           t."merchantCategory", t."originalAmount"::bigint, t."originalCurrency", t."fxRate"::numeric, t."originalTransactionId", t."goalId"
      FROM jsonb_to_recordset(coalesce(p->'transactions', '[]')) AS t (
           id uuid, reference text, type text, status text, "walletId" uuid, "userId" uuid, amount text, fee text, currency text,
           "counterpartyWalletId" uuid, "counterpartyUserId" uuid, "counterpartyWalletNumber" text, description text,
           "pendingEntryId" uuid, "linkedTransactionId" uuid, "merchantName" text, "merchantCategory" text,
           "originalAmount" text, "originalCurrency" text, "fxRate" text, "originalTransactionId" uuid, "goalId" uuid);
  END IF;
  IF jsonb_array_length(coalesce(p->'entries', '[]')) > 0 THEN
    INSERT INTO ledger.journal_entries (id, transaction_id, kind, phase, pending_entry_id, description, metadata)
    SELECT e.id, e."transactionId", e.kind, e.phase, e."pendingEntryId", e.description, coalesce(e.metadata, '{}')
      FROM jsonb_to_recordset(coalesce(p->'entries', '[]')) AS e (
           id uuid, "transactionId" uuid, kind text, phase text, "pendingEntryId" uuid, description text, metadata jsonb);
  END IF;
  IF jsonb_array_length(coalesce(p->'postings', '[]')) > 0 THEN
    INSERT INTO ledger.postings (entry_id, account_id, phase, direction, amount, currency)
    SELECT (x.v->>'entryId')::uuid, (x.v->>'accountId')::uuid, x.v->>'phase', x.v->>'direction', (x.v->>'amount')::bigint, x.v->>'currency'
      FROM jsonb_array_elements(coalesce(p->'postings', '[]')) WITH ORDINALITY AS x (v, n)
     ORDER BY x.n;
  END IF;
  -- Settled (both sides of a transfer), scored, refunded, reversed: rows locked by load_batch.
  IF jsonb_array_length(coalesce(p->'settled', '[]')) > 0 THEN
    UPDATE ledger.transactions t
       SET status = s.status, fraud_score = s."fraudScore", fraud_flags = s."fraudFlags",
           completed_at = CASE WHEN s.status = 'completed' THEN now() END
      FROM jsonb_to_recordset(coalesce(p->'settled', '[]')) AS s (id uuid, status text, "fraudScore" integer, "fraudFlags" text[])
     WHERE t.id = s.id OR t.linked_transaction_id = s.id;
  END IF;
  IF jsonb_array_length(coalesce(p->'scored', '[]')) > 0 THEN
    UPDATE ledger.transactions t SET fraud_score = s."fraudScore", fraud_flags = s."fraudFlags"
      FROM jsonb_to_recordset(coalesce(p->'scored', '[]')) AS s (id uuid, "fraudScore" integer, "fraudFlags" text[])
     WHERE t.id = s.id;
  END IF;
  IF jsonb_array_length(coalesce(p->'refunded', '[]')) > 0 THEN
    UPDATE ledger.transactions t SET refunded_amount = t.refunded_amount + r.amount::bigint
      FROM (SELECT x.id, sum(x.amount::bigint) AS amount
              FROM jsonb_to_recordset(coalesce(p->'refunded', '[]')) AS x (id uuid, amount text) GROUP BY x.id) r
     WHERE t.id = r.id;
  END IF;
  IF jsonb_array_length(coalesce(p->'reversed', '[]')) > 0 THEN
    UPDATE ledger.transactions t SET status = 'reversed'
     WHERE t.id IN (SELECT x::uuid FROM jsonb_array_elements_text(coalesce(p->'reversed', '[]')) AS x)
        OR t.linked_transaction_id IN (SELECT x::uuid FROM jsonb_array_elements_text(coalesce(p->'reversed', '[]')) AS x);
  END IF;
  IF jsonb_array_length(coalesce(p->'pins', '[]')) > 0 THEN
    UPDATE ledger.wallets w
       SET failed_pin_attempts = x."failedAttempts", pin_locked_until = x."lockedUntil", pin_hash = coalesce(x."pinHash", w.pin_hash), updated_at = now()
      FROM jsonb_to_recordset(coalesce(p->'pins', '[]')) AS x (id uuid, "failedAttempts" integer, "lockedUntil" timestamptz, "pinHash" text)
     WHERE w.id = x.id;
  END IF;
  IF jsonb_array_length(coalesce(p->'milestones', '[]')) > 0 THEN
    INSERT INTO ledger.goal_milestones (goal_id, milestone, transaction_id)
    SELECT m."goalId", m.milestone, m."transactionId"
      FROM jsonb_to_recordset(coalesce(p->'milestones', '[]')) AS m ("goalId" uuid, milestone integer, "transactionId" uuid)
    ON CONFLICT DO NOTHING;
  END IF;
  IF jsonb_array_length(coalesce(p->'outbox', '[]')) > 0 THEN
    INSERT INTO ledger.outbox (id, topic, key, payload, headers)
    SELECT (o.v->>'id')::uuid, o.v->>'topic', o.v->>'key', o.v->'payload', coalesce(o.v->'headers', '{}')
      FROM jsonb_array_elements(coalesce(p->'outbox', '[]')) WITH ORDINALITY AS o (v, n)
     ORDER BY o.n;
  END IF;
  IF jsonb_array_length(coalesce(p->'completed', '[]')) > 0 THEN
    UPDATE ledger.idempotency_keys k SET response = c.response
      FROM jsonb_to_recordset(coalesce(p->'completed', '[]')) AS c (scope text, key text, response jsonb)
     WHERE k.scope = c.scope AND k.key = c.key;
  END IF;
  IF jsonb_array_length(coalesce(p->'released', '[]')) > 0 THEN
    DELETE FROM ledger.idempotency_keys k
     USING jsonb_to_recordset(coalesce(p->'released', '[]')) AS r (scope text, key text)
     WHERE k.scope = r.scope AND k.key = r.key;
  END IF;
END $$`;
