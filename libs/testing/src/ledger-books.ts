/** Anything that runs SQL and returns the rows (a TypeORM DataSource or EntityManager). */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<any[]>;
}

/**
 * Checks the ledger's books straight from its tables, the way an auditor would, and returns every
 * problem found (an empty list when the books are sound):
 * - every journal entry has postings and they balance per currency;
 * - every posting is in its account's currency;
 * - a settlement (post_pending / void_pending) moves exactly what its pending entry held;
 * - no account flagged debits_must_not_exceed_credits has posted + pending debits above its credits;
 * - per currency, debits equal credits over all accounts, for posted and for pending amounts;
 * - every balance row equals the fold of its account's postings.
 */
export async function ledgerBookProblems(db: SqlRunner, schema = 'ledger'): Promise<string[]> {
  const s = `"${schema}"`;
  const problems: string[] = [];
  const report = (what: string, rows: unknown[]) => {
    if (rows.length > 0) problems.push(`${what}: ${JSON.stringify(rows.slice(0, 5))}${rows.length > 5 ? ` (${rows.length} in all)` : ''}`);
  };

  report(
    'journal entries that do not balance per currency',
    await db.query(`
      SELECT entry_id, currency, sum(CASE WHEN direction = 'D' THEN amount ELSE -amount END)::text AS net
        FROM ${s}.postings GROUP BY entry_id, currency
      HAVING sum(CASE WHEN direction = 'D' THEN amount ELSE -amount END) <> 0`),
  );
  report(
    'journal entries without postings',
    await db.query(`SELECT e.id FROM ${s}.journal_entries e WHERE NOT EXISTS (SELECT 1 FROM ${s}.postings p WHERE p.entry_id = e.id)`),
  );
  report(
    'postings in a currency other than their account',
    await db.query(`
      SELECT p.id::text, p.currency, a.currency AS account_currency FROM ${s}.postings p JOIN ${s}.accounts a ON a.id = p.account_id
       WHERE p.currency <> a.currency`),
  );
  report(
    'settlements that do not mirror their pending entry',
    await db.query(`
      WITH legs AS (
        SELECT entry_id, account_id, direction, sum(amount) AS amount FROM ${s}.postings GROUP BY 1, 2, 3)
      SELECT r.id AS settlement, r.pending_entry_id
        FROM ${s}.journal_entries r
       WHERE r.pending_entry_id IS NOT NULL
         AND (EXISTS (SELECT account_id, direction, amount FROM legs WHERE entry_id = r.id
                      EXCEPT SELECT account_id, direction, amount FROM legs WHERE entry_id = r.pending_entry_id)
           OR EXISTS (SELECT account_id, direction, amount FROM legs WHERE entry_id = r.pending_entry_id
                      EXCEPT SELECT account_id, direction, amount FROM legs WHERE entry_id = r.id)
           OR (SELECT phase FROM ${s}.journal_entries WHERE id = r.pending_entry_id) <> 'pending')`),
  );
  report(
    'overdrawn accounts',
    await db.query(`
      SELECT account_id, posted_debits::text, pending_debits::text, posted_credits::text FROM ${s}.balances
       WHERE debits_must_not_exceed_credits AND posted_debits + pending_debits > posted_credits`),
  );
  report(
    'currencies whose debits and credits differ',
    await db.query(`
      SELECT currency, sum(posted_debits - posted_credits)::text AS posted, sum(pending_debits - pending_credits)::text AS pending
        FROM ${s}.balances GROUP BY currency
      HAVING sum(posted_debits - posted_credits) <> 0 OR sum(pending_debits - pending_credits) <> 0`),
  );
  report(
    'balance rows that differ from the fold of their postings',
    await db.query(`
      WITH folded AS (
        SELECT account_id,
               sum(amount) FILTER (WHERE direction = 'D' AND phase IN ('posted', 'post_pending')) AS posted_debits,
               sum(amount) FILTER (WHERE direction = 'C' AND phase IN ('posted', 'post_pending')) AS posted_credits,
               sum(CASE WHEN phase = 'pending' THEN amount WHEN phase IN ('post_pending', 'void_pending') THEN -amount END)
                 FILTER (WHERE direction = 'D') AS pending_debits,
               sum(CASE WHEN phase = 'pending' THEN amount WHEN phase IN ('post_pending', 'void_pending') THEN -amount END)
                 FILTER (WHERE direction = 'C') AS pending_credits
          FROM ${s}.postings GROUP BY account_id)
      SELECT b.account_id, b.posted_debits::text, b.posted_credits::text, b.pending_debits::text, b.pending_credits::text,
             coalesce(f.posted_debits, 0)::text AS folded_posted_debits, coalesce(f.posted_credits, 0)::text AS folded_posted_credits,
             coalesce(f.pending_debits, 0)::text AS folded_pending_debits, coalesce(f.pending_credits, 0)::text AS folded_pending_credits
        FROM ${s}.balances b LEFT JOIN folded f USING (account_id)
       WHERE b.posted_debits <> coalesce(f.posted_debits, 0) OR b.posted_credits <> coalesce(f.posted_credits, 0)
          OR b.pending_debits <> coalesce(f.pending_debits, 0) OR b.pending_credits <> coalesce(f.pending_credits, 0)`),
  );
  report(
    'postings on an account without a balance row',
    await db.query(`SELECT DISTINCT p.account_id FROM ${s}.postings p LEFT JOIN ${s}.balances b USING (account_id) WHERE b.account_id IS NULL`),
  );
  return problems;
}
