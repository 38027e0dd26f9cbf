import { DomainError, uuidv7 } from '@tally/contracts';
import { recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { LedgerHarness, HARNESS_PIN } from '../testing/ledger-harness';

const CLIENTS = 32;
const TRANSFERS_PER_CLIENT = 70;
const WALLETS = 5;
const EXPECTED = new Set(['INSUFFICIENT_FUNDS']);

/**
 * 32 clients transfer at random among five wallets, so they collide on the same rows all the time.
 * Each transfer is held, then posted or voided as fraud would decide. Afterwards nothing is
 * overdrawn, nothing is lost, and money is conserved.
 */
describe.each([
  { mode: 'one command per transaction', database: 'int_concurrency', batching: { COMMAND_BATCH_MAX: '1', COMMAND_BATCH_LANES: '16' } },
  {
    mode: 'concurrent commands batched by the posting kernel',
    database: 'int_concurrency_batched',
    batching: { COMMAND_BATCH_MAX: '32', COMMAND_BATCH_LANES: '2' },
  },
])('concurrent transfers among a few wallets ($mode)', ({ database, batching }) => {
  let ledger: LedgerHarness;

  beforeAll(async () => {
    const url = testDatabaseUrl(database);
    await recreateDatabase(url);
    ledger = await LedgerHarness.open(url, 40, batching);
  });

  afterAll(async () => {
    await ledger?.close();
  });

  it('never overdraws, never loses an update, and conserves money', async () => {
    const wallets: Awaited<ReturnType<LedgerHarness['fundedWallet']>>[] = [];
    for (let i = 0; i < WALLETS; i++) wallets.push(await ledger.fundedWallet('USD', '500.00'));
    const outcomes = { posted: 0, voided: 0, refused: 0 };
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };

    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = 0; i < TRANSFERS_PER_CLIENT; i++) {
          const from = wallets[random(WALLETS)];
          const to = wallets[(wallets.indexOf(from) + 1 + random(WALLETS - 1)) % WALLETS];
          const amount = `${random(60)}.${String(1 + random(99)).padStart(2, '0')}`;
          try {
            const pending = await ledger.transfers.execute(
              from.actor,
              { fromWalletId: from.walletId, toWalletNumber: to.walletNumber, amount, pin: HARNESS_PIN },
              uuidv7(),
            );
            const decision = random(5) === 0 ? 'reject' : 'approve';
            await ledger.decide(pending.id, decision);
            outcomes[decision === 'approve' ? 'posted' : 'voided']++;
          } catch (err) {
            if (err instanceof DomainError && EXPECTED.has(err.code)) outcomes.refused++;
            else throw err;
          }
        }
      }),
    );

    console.log(`concurrent transfers (${batching ? 'batched' : 'unbatched'}): ${JSON.stringify(outcomes)}`);
    expect(outcomes.posted + outcomes.voided + outcomes.refused).toBe(CLIENTS * TRANSFERS_PER_CLIENT);
    expect(outcomes.posted).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(0);
    const db = ledger.db;

    // No wallet below zero, nothing left on hold.
    const overdrawn = await db.query(
      `SELECT count(*)::int AS n FROM ledger.balances WHERE posted_debits + pending_debits > posted_credits AND debits_must_not_exceed_credits`,
    );
    expect(overdrawn[0].n).toBe(0);
    const held = await db.query(`SELECT coalesce(sum(pending_debits + pending_credits), 0)::text AS n FROM ledger.balances`);
    expect(held[0].n).toBe('0');

    // No lost update: every balance row equals the sum of its postings.
    const drift = await db.query(`
      SELECT b.account_id FROM ledger.balances b
        LEFT JOIN (
          SELECT account_id,
                 sum(CASE WHEN direction = 'D' AND phase IN ('posted', 'post_pending') THEN amount ELSE 0 END) AS debits,
                 sum(CASE WHEN direction = 'C' AND phase IN ('posted', 'post_pending') THEN amount ELSE 0 END) AS credits
            FROM ledger.postings GROUP BY account_id) p USING (account_id)
       WHERE b.posted_debits <> coalesce(p.debits, 0) OR b.posted_credits <> coalesce(p.credits, 0)`);
    expect(drift).toEqual([]);

    // Conservation: debits equal credits across the currency, and wallets + fees = deposits.
    const totals = await db.query(`SELECT sum(posted_debits)::text AS d, sum(posted_credits)::text AS c FROM ledger.balances WHERE currency = 'USD'`);
    expect(totals[0].d).toBe(totals[0].c);
    const held_by = await db.query(`
      SELECT a.type, sum(b.posted_credits - b.posted_debits)::text AS net
        FROM ledger.balances b JOIN ledger.accounts a ON a.id = b.account_id GROUP BY a.type ORDER BY a.type`);
    const net = Object.fromEntries(held_by.map((r: { type: string; net: string }) => [r.type, BigInt(r.net)]));
    expect(net.liability + net.revenue).toBe(BigInt(WALLETS) * 50_000n);
    expect(-net.asset).toBe(BigInt(WALLETS) * 50_000n);

    // Every posted transfer shows as completed on both sides; voided ones as voided.
    const statuses = await db.query(`SELECT type, status, count(*)::int AS n FROM ledger.transactions WHERE type LIKE 'transfer_%' GROUP BY 1, 2`);
    const count = (type: string, status: string) => statuses.find((s: { type: string; status: string }) => s.type === type && s.status === status)?.n ?? 0;
    expect(count('transfer_out', 'completed')).toBe(outcomes.posted);
    expect(count('transfer_in', 'completed')).toBe(outcomes.posted);
    expect(count('transfer_out', 'voided')).toBe(outcomes.voided);
    expect(count('transfer_out', 'pending')).toBe(0);
  });
});
