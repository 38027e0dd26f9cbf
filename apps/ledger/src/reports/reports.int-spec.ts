import { Client } from 'pg';
import { Actor, EventEnvelope, Topics, TransactionEventData, uuidv7 } from '@tally/contracts';
import { recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { booksFromBalances, replayEvents } from '../properties/event-replay';
import { ledgerEventId } from '../replay/ledger-event-id';
import { LedgerHarness, HARNESS_PIN } from '../testing/ledger-harness';
import { accountBalanceAt } from './balance-as-of.service';
import { verifyAllBalances } from './balance-verification';
import { refusalOf } from '../testing/refusal';

const URL = testDatabaseUrl('int_reports');
const ADMIN: Actor = { userId: uuidv7(), roles: ['user', 'admin'] };
const REPLAY_NOW = { settleMs: 0, maxBacklog: Number.POSITIVE_INFINITY, chunkSize: 3 };

type Wallet = Awaited<ReturnType<LedgerHarness['fundedWallet']>>;

// Opening a wallet hashes its PIN with scrypt (slow on purpose).
jest.setTimeout(60_000);

describe('ledger reports and replay against real Postgres', () => {
  let ledger: LedgerHarness;
  let owner: Client;
  let usd: Wallet[];
  let jpy: Wallet[];
  const settled: { posted: string; voided: string; pending: string } = { posted: '', voided: '', pending: '' };

  /** The database's own clock, so instants compare with created_at exactly. */
  const dbNow = async (): Promise<string> => {
    await new Promise((r) => setTimeout(r, 20));
    const rows = await ledger.db.query(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`);
    await new Promise((r) => setTimeout(r, 20));
    return rows[0].now;
  };

  beforeAll(async () => {
    await recreateDatabase(URL);
    ledger = await LedgerHarness.open(URL, 10);
    // The database owner, who (unlike the service's role) may change anything: used to plant a fault.
    owner = new Client({ connectionString: URL });
    await owner.connect();

    usd = [await ledger.fundedWallet('USD', '500.00'), await ledger.fundedWallet('USD', '20.00'), await ledger.fundedWallet('USD', '0.50')];
    jpy = [await ledger.fundedWallet('JPY', '10000'), await ledger.fundedWallet('JPY', '300')];
    const transfer = async (from: Wallet, to: Wallet, amount: string) => {
      return ledger.transfers.execute(from.actor, { fromWalletId: from.walletId, toWalletNumber: to.walletNumber, amount, pin: HARNESS_PIN }, uuidv7());
    };
    settled.posted = (await transfer(usd[0], usd[1], '100.00')).id;
    await ledger.decide(settled.posted, 'approve');
    settled.voided = (await transfer(usd[1], usd[2], '10.00')).id;
    await ledger.decide(settled.voided, 'reject');
    settled.pending = (await transfer(usd[0], usd[2], '50.00')).id;
    await ledger.decide((await transfer(jpy[0], jpy[1], '1234')).id, 'approve');
  });

  afterAll(async () => {
    await owner?.end();
    await ledger?.close();
  });

  describe('trial balance', () => {
    it('balances every currency, posted and pending, with the exact totals', async () => {
      const report = await ledger.trialBalance.get(ADMIN);
      expect(report.balanced).toBe(true);
      expect(report.items.map((i) => i.currency)).toEqual(['JPY', 'USD']);
      const usdLine = report.items.find((i) => i.currency === 'USD')!;
      // Posted debits: deposits 520.50 (funding) + the approved transfer 100.00 + fee 0.50.
      // Pending: 50.00 + fee 0.50 held from wallet 0, credited (pending) to wallet 2 and fee revenue.
      expect(usdLine).toMatchObject({
        totalDebits: '621.00',
        totalCredits: '621.00',
        pendingDebits: '50.50',
        pendingCredits: '50.50',
        balanced: true,
      });
      const jpyLine = report.items.find((i) => i.currency === 'JPY')!;
      // Deposits 10300, then the approved transfer of 1234 and its fee.
      const fee = BigInt(jpyLine.totalDebits) - 10300n - 1234n;
      expect(fee).toBeGreaterThanOrEqual(1n);
      expect(jpyLine).toMatchObject({ totalCredits: jpyLine.totalDebits, pendingDebits: '0', pendingCredits: '0', balanced: true });
    });

    it('is for admins only', async () => {
      expect((await refusalOf(ledger.trialBalance.get(usd[0].actor))).code).toBe('FORBIDDEN');
    });
  });

  describe('balance as of a past instant', () => {
    let wallet: Wallet;
    const at: Record<string, string> = {};

    beforeAll(async () => {
      const actor = { userId: uuidv7(), roles: ['user'] };
      const opened = await ledger.walletsService.open(actor, { currency: 'USD', pin: '2580', dailyLimit: '20000', monthlyLimit: '100000' }, uuidv7());
      wallet = { actor, walletId: opened.id, walletNumber: opened.walletNumber };
      at.opened = await dbNow();
      await ledger.deposits.execute(actor, { walletId: wallet.walletId, amount: '80.00' }, uuidv7());
      at.deposited = await dbNow();
      const held = await ledger.transfers.execute(
        actor,
        { fromWalletId: wallet.walletId, toWalletNumber: usd[1].walletNumber, amount: '30.00', pin: HARNESS_PIN },
        uuidv7(),
      );
      at.held = await dbNow();
      await ledger.decide(held.id, 'approve');
      at.posted = await dbNow();
    });

    const asOf = (instant: string, now?: Date) => ledger.balanceAsOf.get(wallet.actor, { walletId: wallet.walletId, asOf: instant }, now);
    const money = (v: { balance: string; pending: string; available: string }) => ({ balance: v.balance, pending: v.pending, available: v.available });

    it('answers the balance before and after a deposit, while funds were held, and once posted', async () => {
      expect(money(await asOf(at.opened))).toEqual({ balance: '0.00', pending: '0.00', available: '0.00' });
      expect(money(await asOf(at.deposited))).toEqual({ balance: '80.00', pending: '0.00', available: '80.00' });
      // 30.00 + fee 0.50 (the minimum) held.
      expect(money(await asOf(at.held))).toEqual({ balance: '80.00', pending: '30.50', available: '49.50' });
      expect(money(await asOf(at.posted))).toEqual({ balance: '49.50', pending: '0.00', available: '49.50' });
      // The same as the current balance, which stays a single row read.
      const current = await ledger.walletsService.balance(wallet.actor, wallet.walletId);
      const latest = await asOf(at.posted);
      expect(money(latest)).toEqual(money(current));
      expect(latest).toMatchObject({ walletId: wallet.walletId, walletNumber: wallet.walletNumber, currency: 'USD', status: 'active' });
      expect(new Date(latest.asOf).getTime()).toBe(new Date(at.posted).getTime());
    });

    it('gives the same answer counting forward from the opening and back from today', async () => {
      const account = (await ledger.db.query(`SELECT account_id FROM ledger.wallets WHERE id = $1`, [wallet.walletId]))[0].account_id;
      const answers: string[] = [];
      for (const instant of Object.values(at)) {
        const forward = await accountBalanceAt(ledger.db, account, instant, 'opening');
        expect(await accountBalanceAt(ledger.db, account, instant, 'today')).toEqual(forward);
        answers.push(`${forward.balance}/${forward.held}`);
      }
      expect(answers).toEqual(['0/0', '8000/0', '8000/3050', '4950/0']);
    });

    it('refuses a time in the future, a time without a zone, an impossible date, and someone else’s wallet', async () => {
      const future = new Date(Date.now() + 60_000).toISOString();
      expect((await refusalOf(asOf(future))).message).toMatch(/future/);
      for (const bad of ['2025-01-01', '2025-01-01T10:00:00', '2025-02-30T00:00:00Z', 'yesterday', '']) {
        expect((await refusalOf(asOf(bad))).code).toBe('VALIDATION_FAILED');
      }
      const other = await refusalOf(ledger.balanceAsOf.get(usd[0].actor, { walletId: wallet.walletId, asOf: at.posted }));
      expect(other.code).toBe('NOT_FOUND');
    });
  });

  describe('journal replay', () => {
    const replayed = async (): Promise<{ events: EventEnvelope<unknown>[]; live: EventEnvelope<unknown>[] }> => {
      const rows: { topic: string; payload: EventEnvelope<unknown> }[] = await ledger.db.query(`SELECT topic, payload FROM ledger.outbox ORDER BY seq`);
      return {
        events: rows.filter((r) => r.topic === Topics.ledgerReplay).map((r) => r.payload),
        live: rows.filter((r) => r.topic === Topics.ledgerEvents).map((r) => r.payload),
      };
    };
    const runToEnd = async (runId: string) => {
      for (let i = 0; i < 1000 && (await ledger.replay.get(ADMIN, runId)).status === 'running'; i++) await ledger.replay.step(REPLAY_NOW);
      return ledger.replay.get(ADMIN, runId);
    };

    it('publishes the whole journal again, in order, and folding it rebuilds every balance', async () => {
      const key = uuidv7();
      const run = await ledger.replay.start(ADMIN, {}, key);
      expect(run).toMatchObject({ status: 'running', topic: 'ledger.replay', from: null, eventsWritten: 0 });
      // The same Idempotency-Key answers the same run.
      expect((await ledger.replay.start(ADMIN, {}, key)).id).toBe(run.id);

      const done = await runToEnd(run.id);
      const entries = await ledger.db.query(`SELECT count(*)::int AS n FROM ledger.journal_entries`);
      const wallets = await ledger.db.query(`SELECT count(*)::int AS n FROM ledger.wallets`);
      expect(done).toMatchObject({ status: 'completed', entriesReplayed: entries[0].n, walletsReplayed: wallets[0].n });
      expect(done.eventsWritten).toBe(entries[0].n + wallets[0].n);

      const { events, live } = await replayed();
      expect(events).toHaveLength(done.eventsWritten);
      // A projection rebuilt from the replay alone ends with the ledger's balances.
      expect(replayEvents(events)).toEqual(await booksFromBalances(ledger.db));
      // In journal order: each transfer is announced pending before it is posted or voided.
      const order = (type: string, id: string) => events.findIndex((e) => e.type === type && (e.data as TransactionEventData).transactionId === id);
      expect(order('transaction.pending', settled.posted)).toBeLessThan(order('transaction.posted', settled.posted));
      expect(order('transaction.pending', settled.voided)).toBeLessThan(order('transaction.voided', settled.voided));
      expect(order('transaction.posted', settled.pending)).toBe(-1);
      // With the status the transaction had at each entry, not today's.
      const pendingOfPosted = events[order('transaction.pending', settled.posted)];
      expect((pendingOfPosted.data as TransactionEventData).status).toBe('pending');

      // Where the live path already uses the deterministic id, the replayed event is its exact twin,
      // so a consumer whose inbox holds the live one skips the replayed one.
      const liveById = new Map(live.map((e) => [e.id, e]));
      const twins = events.filter((e) => liveById.has(e.id));
      const [announced] = await ledger.db.query(
        `SELECT count(*) FILTER (WHERE kind = 'deposit')::int AS deposits, count(*) FILTER (WHERE phase IN ('post_pending', 'void_pending'))::int AS settlements
           FROM ledger.journal_entries`,
      );
      expect(twins.length).toBeGreaterThanOrEqual(announced.deposits + announced.settlements);
      // Still to adopt the deterministic id on the live path: transfers' pending event and wallet.opened.
      const replayedIds = new Set(events.map((e) => e.id));
      const notYet = new Set(live.filter((e) => !replayedIds.has(e.id)).map((e) => e.type));
      expect([...notYet].filter((type) => !['transaction.pending', 'wallet.opened'].includes(type))).toEqual([]);
      for (const twin of twins) {
        const original = liveById.get(twin.id)!;
        expect({ ...twin, occurredAt: undefined }).toEqual({ ...original, occurredAt: undefined, traceparent: undefined });
      }
    });

    it('repeats the same event ids, so replaying twice applies nothing twice', async () => {
      const before = (await replayed()).events;
      const second = await runToEnd((await ledger.replay.start(ADMIN, {}, uuidv7())).id);
      const after = (await replayed()).events;
      expect(after).toHaveLength(before.length + second.eventsWritten);
      expect(new Set(after.map((e) => e.id)).size).toBe(new Set(before.map((e) => e.id)).size);
      expect(replayEvents(after)).toEqual(await booksFromBalances(ledger.db));
      const firstDeposit = await ledger.db.query(`SELECT id FROM ledger.journal_entries WHERE kind = 'deposit' ORDER BY created_at, id LIMIT 1`);
      expect(after.filter((e) => e.id === ledgerEventId(firstDeposit[0].id, 'transaction.posted'))).toHaveLength(2);
    });

    it('replays only the asked range [from, to)', async () => {
      const utc = (offset: number) =>
        `(SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') FROM ledger.journal_entries ORDER BY created_at, id OFFSET ${offset} LIMIT 1)`;
      const [range] = await ledger.db.query(`SELECT ${utc(3)} AS from, ${utc(7)} AS to`);
      const [inRange] = await ledger.db.query(
        `SELECT (SELECT count(*) FROM ledger.journal_entries WHERE created_at >= $1 AND created_at < $2)::int AS entries,
                (SELECT count(*) FROM ledger.wallets WHERE created_at >= $1 AND created_at < $2)::int AS wallets`,
        [range.from, range.to],
      );
      expect(inRange.entries).toBe(4);
      const run = await runToEnd((await ledger.replay.start(ADMIN, { from: range.from, to: range.to }, uuidv7())).id);
      expect(run).toMatchObject({ status: 'completed', from: range.from.replace(/\d{3}Z$/, 'Z'), entriesReplayed: 4, walletsReplayed: inRange.wallets });
    });

    it('refuses a bad range and a non-admin', async () => {
      const now = new Date().toISOString();
      expect((await refusalOf(ledger.replay.start(ADMIN, { from: now, to: '2020-01-01T00:00:00Z' }, uuidv7()))).code).toBe('VALIDATION_FAILED');
      expect((await refusalOf(ledger.replay.start(ADMIN, { to: '2999-01-01T00:00:00Z' }, uuidv7()))).code).toBe('VALIDATION_FAILED');
      expect((await refusalOf(ledger.replay.start(usd[0].actor, {}, uuidv7()))).code).toBe('FORBIDDEN');
      expect((await refusalOf(ledger.replay.get(ADMIN, uuidv7()))).code).toBe('NOT_FOUND');
    });
  });

  describe('verification', () => {
    const runToEnd = async () => {
      const run = await ledger.verification.start(ADMIN, uuidv7());
      expect(run).toMatchObject({ status: 'running', ok: null });
      while (await ledger.verification.step(2)) {
        // a chunk of two accounts per step, to cross chunk boundaries
      }
      return ledger.verification.get(ADMIN, run.id);
    };

    it('finds no difference between the balance rows and the postings', async () => {
      const accounts = await ledger.db.query(`SELECT count(*)::int AS n FROM ledger.balances`);
      expect(await verifyAllBalances(ledger.db, { chunkSize: 3 })).toEqual({
        checkedAccounts: accounts[0].n,
        differences: [],
        differenceCount: 0,
        ok: true,
      });
      expect(await runToEnd()).toMatchObject({ status: 'completed', ok: true, checkedAccounts: accounts[0].n, differences: [] });
      expect((await refusalOf(ledger.verification.start(usd[0].actor, uuidv7()))).code).toBe('FORBIDDEN');
    });

    it('reports a balance row changed behind the journal’s back, and the trial balance stops balancing', async () => {
      const target = await ledger.db.query(`SELECT account_id FROM ledger.wallets WHERE id = $1`, [usd[2].walletId]);
      const accountId = target[0].account_id;
      const before = (await ledger.trialBalance.get(ADMIN)).items.find((i) => i.currency === 'USD')!;
      await owner.query(`UPDATE ledger.balance_rows SET posted_credits = posted_credits + 1 WHERE account_id = $1`, [accountId]);
      try {
        const expected = { accountId, currency: 'USD', field: 'postedCredits', expected: '0.50', actual: '0.51' };
        expect(await verifyAllBalances(ledger.db, { chunkSize: 3 })).toMatchObject({ differences: [expected], differenceCount: 1, ok: false });
        expect(await runToEnd()).toMatchObject({ status: 'completed', ok: false, differenceCount: 1, differences: [expected] });
        const trial = await ledger.trialBalance.get(ADMIN);
        expect(trial.balanced).toBe(false);
        const cents = (text: string) => BigInt(text.replace('.', ''));
        const after = trial.items.find((i) => i.currency === 'USD')!;
        expect(after).toMatchObject({ balanced: false, totalDebits: before.totalDebits });
        expect(cents(after.totalCredits) - cents(before.totalCredits)).toBe(1n);
      } finally {
        await owner.query(`UPDATE ledger.balance_rows SET posted_credits = posted_credits - 1 WHERE account_id = $1`, [accountId]);
      }
      expect((await verifyAllBalances(ledger.db)).ok).toBe(true);
    });
  });
});
