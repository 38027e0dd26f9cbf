import { Client } from 'pg';
import { Actor, DomainError, uuidv7, WalletView } from '@tally/contracts';
import { recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { loadLedgerConfig } from '../config/ledger.config';
import { CreateDepositHandler } from '../deposits/create-deposit.handler';
import { spendingWindow } from '../limits/spending-window';
import { LedgerHarness, HARNESS_PIN } from '../testing/ledger-harness';
import { WalletRow } from './wallets.repository';
import { WalletDirectory } from '../posting/wallet-directory';
import { refusalOf } from '../testing/refusal';

const URL = process.env.TEST_LEDGER_WALLETS_DATABASE_URL ?? testDatabaseUrl('int_wallets');

// Every PIN check is a deliberate scrypt derivation (~0.3 s); a few tests make a dozen of them.
jest.setTimeout(120_000);

/** The error code a call ends with, or 'ok'. */
async function outcome(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

describe('wallet lifecycle (PIN change, freeze, close, limits in the holder’s time zone)', () => {
  let ledger: LedgerHarness;

  beforeAll(async () => {
    await recreateDatabase(URL);
    ledger = await LedgerHarness.open(URL, 20);
  });

  afterAll(async () => {
    await ledger?.close();
  });

  const newActor = (): Actor => ({ userId: uuidv7(), roles: ['user'] });

  async function openWallet(actor: Actor, extra: { timeZone?: string; dailyLimit?: string; pin?: string } = {}): Promise<WalletView> {
    return ledger.walletsService.open(actor, { currency: 'USD', pin: extra.pin ?? '2580', dailyLimit: extra.dailyLimit, timeZone: extra.timeZone }, uuidv7());
  }

  /** A transfer as the API makes it: PIN check included. */
  function transfer(actor: Actor, fromWalletId: string, toWalletNumber: string, amount: string, pin = '2580') {
    return ledger.transfers.execute(actor, { fromWalletId, toWalletNumber, amount, pin }, uuidv7());
  }

  /** The posting path without the (slow) PIN check, for the concurrency test. */
  async function transferWithoutPin(actor: Actor, fromWalletId: string, toWalletNumber: string, amount: string) {
    return ledger.transfers.execute(actor, { fromWalletId, toWalletNumber, amount, pin: HARNESS_PIN }, uuidv7());
  }

  const row = async (walletId: string): Promise<WalletRow> => (await ledger.wallets.findById(walletId))!;

  const outboxOf = async (walletId: string, type: string): Promise<Record<string, unknown>[]> => {
    const rows: { payload: { data: Record<string, unknown> } }[] = await ledger.db.query(
      `SELECT payload FROM ledger.outbox WHERE payload->>'type' = $1 AND payload->'data'->>'walletId' = $2 ORDER BY seq`,
      [type, walletId],
    );
    return rows.map((r) => r.payload.data);
  };

  describe('change PIN', () => {
    it('replaces the PIN: the old one stops working, the new one works, and the event carries no PIN material', async () => {
      const payer = await ledger.fundedWallet('USD', '100.00');
      const payee = await openWallet(newActor());
      await ledger.lifecycle.changePin(payer.actor, { walletId: payer.walletId, oldPin: '2580', newPin: '3141' });

      expect(await outcome(transfer(payer.actor, payer.walletId, payee.walletNumber, '1.00', '2580'))).toBe('INVALID_PIN');
      expect(await outcome(transfer(payer.actor, payer.walletId, payee.walletNumber, '1.00', '3141'))).toBe('ok');
      // The right PIN cleared the miss before it.
      expect((await row(payer.walletId)).failed_pin_attempts).toBe(0);

      const events = await outboxOf(payer.walletId, 'wallet.pin_changed');
      expect(events).toHaveLength(1);
      expect(Object.keys(events[0]).sort()).toEqual(['changedAt', 'method', 'userId', 'walletId', 'walletNumber']);
      expect(events[0].method).toBe('change');
      expect(JSON.stringify(events[0])).not.toMatch(/scrypt|hmac/);
    });

    it('refuses a new PIN that is not 4 to 6 digits or equals the old one, without counting a miss', async () => {
      const actor = newActor();
      const wallet = await openWallet(actor);
      expect(await outcome(ledger.lifecycle.changePin(actor, { walletId: wallet.id, oldPin: '2580', newPin: '12' }))).toBe('VALIDATION_FAILED');
      expect(await outcome(ledger.lifecycle.changePin(actor, { walletId: wallet.id, oldPin: '2580', newPin: '1234567' }))).toBe('VALIDATION_FAILED');
      expect(await outcome(ledger.lifecycle.changePin(actor, { walletId: wallet.id, oldPin: '2580', newPin: '2580' }))).toBe('VALIDATION_FAILED');
      expect((await row(wallet.id)).failed_pin_attempts).toBe(0);
    });

    it('counts wrong old PINs with wrong transfer PINs and locks at the fifth; then the right PIN is refused too', async () => {
      const payer = await ledger.fundedWallet('USD', '50.00');
      const payee = await openWallet(newActor());
      const change = (oldPin: string) => ledger.lifecycle.changePin(payer.actor, { walletId: payer.walletId, oldPin, newPin: '9182' });

      const first = await refusalOf(change('0000'));
      expect(first.code).toBe('INVALID_PIN');
      expect(first.details).toEqual({ attemptsLeft: 4 });
      expect((await refusalOf(change('0001'))).details).toEqual({ attemptsLeft: 3 });
      expect((await refusalOf(transfer(payer.actor, payer.walletId, payee.walletNumber, '1.00', '0002'))).details).toEqual({ attemptsLeft: 2 });
      expect((await refusalOf(change('0003'))).details).toEqual({ attemptsLeft: 1 });
      expect(await outcome(change('0004'))).toBe('PIN_LOCKED');

      expect(await outcome(change('2580'))).toBe('PIN_LOCKED');
      expect(await outcome(transfer(payer.actor, payer.walletId, payee.walletNumber, '1.00', '2580'))).toBe('PIN_LOCKED');
      expect((await row(payer.walletId)).failed_pin_attempts).toBe(5);
      expect(await outboxOf(payer.walletId, 'wallet.pin_changed')).toEqual([]);
    });

    it('a repeat with the same Idempotency-Key succeeds again; a repeat without one is a wrong old PIN', async () => {
      const actor = newActor();
      const wallet = await openWallet(actor);
      const key = uuidv7();
      const input = { walletId: wallet.id, oldPin: '2580', newPin: '2468' };
      await ledger.lifecycle.changePin(actor, input, key);
      await ledger.lifecycle.changePin(actor, input, key);
      expect((await row(wallet.id)).failed_pin_attempts).toBe(0);
      expect(await outboxOf(wallet.id, 'wallet.pin_changed')).toHaveLength(1);

      // Same key, but a new PIN that is not the wallet's PIN: a wrong PIN, counted.
      expect(await outcome(ledger.lifecycle.changePin(actor, { ...input, newPin: '1357' }, key))).toBe('INVALID_PIN');
      expect(await outcome(ledger.lifecycle.changePin(actor, input))).toBe('INVALID_PIN');
      expect((await row(wallet.id)).failed_pin_attempts).toBe(2);
    });

    it('answers NOT_FOUND for someone else’s wallet, without touching its miss count', async () => {
      const wallet = await openWallet(newActor());
      expect(await outcome(ledger.lifecycle.changePin(newActor(), { walletId: wallet.id, oldPin: '0000', newPin: '1010' }))).toBe('NOT_FOUND');
      expect((await row(wallet.id)).failed_pin_attempts).toBe(0);
    });
  });

  describe('freeze and unfreeze', () => {
    it('a frozen wallet neither sends nor receives, can still be read, and unfreezing restores it', async () => {
      const w = await ledger.fundedWallet('USD', '100.00');
      const other = await ledger.fundedWallet('USD', '100.00');
      const walletNumber = (await row(w.walletId)).wallet_number;

      const frozen = await ledger.lifecycle.changeStatus(w.actor, w.walletId, 'freeze', 'lost phone');
      expect(frozen).toMatchObject({ id: w.walletId, status: 'frozen', balance: '100.00' });
      expect(await outcome(transfer(w.actor, w.walletId, other.walletNumber, '1.00'))).toBe('WALLET_NOT_ACTIVE');
      expect(await outcome(transfer(other.actor, other.walletId, walletNumber, '1.00'))).toBe('WALLET_NOT_ACTIVE');
      expect(await outcome(ledger.deposits.execute(w.actor, { walletId: w.walletId, amount: '1.00' }, uuidv7()))).toBe('WALLET_NOT_ACTIVE');
      expect(await ledger.walletsService.get(w.actor, w.walletId)).toMatchObject({ status: 'frozen', balance: '100.00' });
      // Freezing again changes nothing and announces nothing.
      expect(await ledger.lifecycle.changeStatus(w.actor, w.walletId, 'freeze')).toMatchObject({ status: 'frozen' });

      expect(await ledger.lifecycle.changeStatus(w.actor, w.walletId, 'unfreeze')).toMatchObject({ status: 'active' });
      expect(await outcome(transfer(w.actor, w.walletId, other.walletNumber, '1.00'))).toBe('ok');
      expect(await outcome(transfer(other.actor, other.walletId, walletNumber, '1.00'))).toBe('ok');

      const events = await outboxOf(w.walletId, 'wallet.status_changed');
      expect(events.map((e) => [e.previousStatus, e.status, e.reason])).toEqual([
        ['active', 'frozen', 'lost phone'],
        ['frozen', 'active', null],
      ]);
    });

    it('answers NOT_FOUND to anyone but the owner', async () => {
      const wallet = await openWallet(newActor());
      for (const change of ['freeze', 'unfreeze', 'close'] as const) {
        expect(await outcome(ledger.lifecycle.changeStatus(newActor(), wallet.id, change))).toBe('NOT_FOUND');
      }
      expect((await row(wallet.id)).status).toBe('active');
    });

    it('freezing while transfers run: every transfer either succeeds or is refused as WALLET_NOT_ACTIVE, none started after the freeze succeeds, and the books stay whole', async () => {
      const hub = await ledger.fundedWallet('USD', '1000.00');
      const hubNumber = (await row(hub.walletId)).wallet_number;
      const peers = await Promise.all([1, 2, 3, 4].map(() => ledger.fundedWallet('USD', '1000.00')));
      const LANES = 8;
      const PER_LANE = 12;
      let done = 0;
      let frozenAt = Infinity;
      const results: { startedAt: number; result: string; id?: string }[] = [];
      const freezing = (async () => {
        while (done < 20) await new Promise((r) => setTimeout(r, 2));
        await ledger.lifecycle.changeStatus(hub.actor, hub.walletId, 'freeze');
        frozenAt = performance.now();
      })();

      await Promise.all(
        Array.from({ length: LANES }, async (_, lane) => {
          for (let i = 0; i < PER_LANE; i++) {
            const peer = peers[(lane + i) % peers.length];
            const outgoing = (lane + i) % 2 === 0;
            const startedAt = performance.now();
            try {
              const view = outgoing
                ? await transferWithoutPin(hub.actor, hub.walletId, peer.walletNumber, `${1 + (i % 5)}.00`)
                : await transferWithoutPin(peer.actor, peer.walletId, hubNumber, `${1 + (i % 5)}.00`);
              results.push({ startedAt, result: 'ok', id: view.id });
            } catch (err) {
              if (!(err instanceof DomainError)) throw err;
              results.push({ startedAt, result: err.code });
            }
            done++;
          }
        }),
      );
      await freezing;

      const succeeded = results.filter((r) => r.result === 'ok');
      expect(new Set(results.map((r) => r.result))).toEqual(new Set(['ok', 'WALLET_NOT_ACTIVE']));
      expect(succeeded.length).toBeGreaterThanOrEqual(20);
      // Whatever started after the freeze had committed was refused, both directions.
      expect(results.filter((r) => r.startedAt > frozenAt && r.result === 'ok')).toEqual([]);

      // Holds placed before the freeze still settle; then each of these wallets' balances equals its postings.
      for (const r of succeeded) await ledger.decide(r.id!, 'approve');
      const accounts = await Promise.all([hub, ...peers].map(async (w) => (await row(w.walletId)).account_id));
      const drift = await ledger.db.query(
        `
        SELECT b.account_id FROM ledger.balances b
          LEFT JOIN (SELECT account_id,
                            sum(CASE WHEN direction = 'D' AND phase IN ('posted', 'post_pending') THEN amount ELSE 0 END) AS d,
                            sum(CASE WHEN direction = 'C' AND phase IN ('posted', 'post_pending') THEN amount ELSE 0 END) AS c
                       FROM ledger.postings GROUP BY account_id) p USING (account_id)
         WHERE b.account_id = ANY($1::uuid[])
           AND (b.posted_debits <> coalesce(p.d, 0) OR b.posted_credits <> coalesce(p.c, 0) OR b.pending_debits <> 0 OR b.pending_credits <> 0)`,
        [accounts],
      );
      expect(drift).toEqual([]);
      const hubTransfers = await ledger.db.query(
        `SELECT count(*)::int AS n FROM ledger.transactions WHERE type = 'transfer_out' AND status = 'completed' AND (wallet_id = $1 OR counterparty_wallet_id = $1)`,
        [hub.walletId],
      );
      expect(hubTransfers[0].n).toBe(succeeded.length);
      const totals = await ledger.db.query(`SELECT sum(posted_debits)::text AS d, sum(posted_credits)::text AS c FROM ledger.balances WHERE currency = 'USD'`);
      expect(totals[0].d).toBe(totals[0].c);

      await ledger.lifecycle.changeStatus(hub.actor, hub.walletId, 'unfreeze');
      expect(await outcome(transferWithoutPin(hub.actor, hub.walletId, peers[0].walletNumber, '1.00'))).toBe('ok');
    });
  });

  describe('close', () => {
    it('is refused while the wallet holds money or a hold, and allowed once it is empty', async () => {
      const w = await ledger.fundedWallet('USD', '10.00');
      const payee = await openWallet(newActor());

      const holding = await refusalOf(ledger.lifecycle.changeStatus(w.actor, w.walletId, 'close'));
      expect(holding.code).toBe('WALLET_NOT_EMPTY');
      expect(holding.details).toEqual({ balance: '10.00', pendingIn: '0.00', pendingOut: '0.00' });

      // 9.50 + the 0.50 minimum fee empties it, but only once fraud approves.
      const out = await transferWithoutPin(w.actor, w.walletId, payee.walletNumber, '9.50');
      expect((await refusalOf(ledger.lifecycle.changeStatus(w.actor, w.walletId, 'close'))).details).toEqual({
        balance: '10.00',
        pendingIn: '0.00',
        pendingOut: '10.00',
      });
      // The receiving side has only an incoming hold: not empty either.
      const payeeActor = { userId: payee.userId, roles: ['user'] };
      expect((await refusalOf(ledger.lifecycle.changeStatus(payeeActor, payee.id, 'close'))).details).toEqual({
        balance: '0.00',
        pendingIn: '9.50',
        pendingOut: '0.00',
      });
      await ledger.decide(out.id, 'approve');

      const closed = await ledger.lifecycle.changeStatus(w.actor, w.walletId, 'close', 'moving banks');
      expect(closed).toMatchObject({ status: 'closed', balance: '0.00', pending: '0.00' });
      expect(await outboxOf(w.walletId, 'wallet.status_changed')).toEqual([
        expect.objectContaining({ previousStatus: 'active', status: 'closed', reason: 'moving banks' }),
      ]);
    });

    it('is final: no money in or out, no unfreeze, no new PIN; closing again answers the closed wallet', async () => {
      const actor = newActor();
      const wallet = await openWallet(actor);
      const sender = await ledger.fundedWallet('USD', '20.00');
      await ledger.lifecycle.changeStatus(actor, wallet.id, 'freeze');
      expect(await ledger.lifecycle.changeStatus(actor, wallet.id, 'close')).toMatchObject({ status: 'closed' });

      expect(await outcome(transfer(sender.actor, sender.walletId, wallet.walletNumber, '1.00'))).toBe('WALLET_NOT_ACTIVE');
      expect(await outcome(ledger.deposits.execute(actor, { walletId: wallet.id, amount: '1.00' }, uuidv7()))).toBe('WALLET_NOT_ACTIVE');
      expect(await outcome(ledger.lifecycle.changeStatus(actor, wallet.id, 'unfreeze'))).toBe('WALLET_NOT_ACTIVE');
      expect(await outcome(ledger.lifecycle.changeStatus(actor, wallet.id, 'freeze'))).toBe('WALLET_NOT_ACTIVE');
      expect(await outcome(ledger.lifecycle.changePin(actor, { walletId: wallet.id, oldPin: '2580', newPin: '8642' }))).toBe('WALLET_NOT_ACTIVE');
      expect(await ledger.lifecycle.changeStatus(actor, wallet.id, 'close')).toMatchObject({ status: 'closed' });
      expect(await ledger.walletsService.get(actor, wallet.id)).toMatchObject({ status: 'closed', balance: '0.00' });
      expect((await outboxOf(wallet.id, 'wallet.status_changed')).map((e) => e.status)).toEqual(['frozen', 'closed']);
    });

    it('the database refuses a credit that waited on the wallet row while the wallet was being closed', async () => {
      const wallet = await row((await openWallet(newActor())).id);
      const source = await row((await ledger.fundedWallet('USD', '5.00')).walletId);
      const closer = ledger.db.createQueryRunner();
      const payer = ledger.db.createQueryRunner();
      await closer.connect();
      await payer.connect();
      try {
        // The close, as changeStatus does it, held open before COMMIT.
        await closer.startTransaction();
        await ledger.wallets.lockForStatusChange(closer.manager, wallet.id);
        await ledger.wallets.setStatus(closer.manager, wallet.id, 'closed');

        // A credit that read the wallet as active before: its posting waits for the wallet row.
        await payer.startTransaction();
        const credit = ledger.journal
          .append(payer.manager, { transactionId: uuidv7(), kind: 'transfer', phase: 'posted' }, [
            { accountId: source.account_id, direction: 'D', amount: 100n, currency: 'USD' },
            { accountId: wallet.account_id, direction: 'C', amount: 100n, currency: 'USD' },
          ])
          .then(
            () => 'written',
            (err: { driverError?: { constraint?: string } }) => err.driverError?.constraint ?? String(err),
          );
        await waitForLockWait();
        await closer.commitTransaction();

        expect(await credit).toBe('postings_wallet_not_closed');
        await payer.rollbackTransaction();
      } finally {
        await closer.release();
        await payer.release();
      }
      const balance = (await ledger.accounts.balances(ledger.db.manager, [wallet.account_id])).get(wallet.account_id)!;
      expect([balance.posted_credits, balance.pending_credits]).toEqual(['0', '0']);
    });

    it('a close that waited on a credit already being written sees it and refuses', async () => {
      const owner = newActor();
      const wallet = await row((await openWallet(owner)).id);
      const source = await row((await ledger.fundedWallet('USD', '5.00')).walletId);
      const payer = ledger.db.createQueryRunner();
      await payer.connect();
      try {
        await payer.startTransaction();
        await ledger.journal.append(payer.manager, { transactionId: uuidv7(), kind: 'transfer', phase: 'posted' }, [
          { accountId: source.account_id, direction: 'D', amount: 100n, currency: 'USD' },
          { accountId: wallet.account_id, direction: 'C', amount: 100n, currency: 'USD' },
        ]);
        const closing = outcome(ledger.lifecycle.changeStatus(owner, wallet.id, 'close'));
        await waitForLockWait();
        await payer.commitTransaction();
        expect(await closing).toBe('WALLET_NOT_EMPTY');
      } finally {
        if (payer.isTransactionActive) await payer.rollbackTransaction();
        await payer.release();
      }
      expect((await row(wallet.id)).status).toBe('active');
    });
  });

  describe('limits in the holder’s time zone', () => {
    /** A spending row of the read model at a chosen instant (the journal is not needed for spent()). */
    async function spendingAt(wallet: WalletRow, createdAt: string, amount: bigint): Promise<void> {
      await ledger.db.query(
        `INSERT INTO ledger.transactions (id, reference, type, status, wallet_id, user_id, amount, fee, currency, created_at)
         VALUES ($1, $2, 'transfer_out', 'completed', $3, $4, $5, 0, $6, $7)`,
        [uuidv7(), `TEST-${uuidv7()}`, wallet.id, wallet.user_id, amount.toString(), wallet.currency, createdAt],
      );
    }

    const spentAt = (wallet: WalletRow, now: string) => ledger.wallets.spent(ledger.db.manager, wallet, new Date(now));

    it('west of UTC (America/Los_Angeles): the day and the month end at local midnight, not UTC midnight', async () => {
      const wallet = await row((await openWallet(newActor(), { timeZone: 'America/Los_Angeles' })).id);
      expect(wallet.time_zone).toBe('America/Los_Angeles');
      await spendingAt(wallet, '2025-01-31T07:59:59Z', 100n); // 30 Jan 23:59:59 PST
      await spendingAt(wallet, '2025-01-31T08:00:00Z', 200n); // 31 Jan 00:00:00 PST
      await spendingAt(wallet, '2025-02-01T07:59:59Z', 400n); // 31 Jan 23:59:59 PST, already 1 Feb in UTC
      // UTC would say day 4.00 and month 4.00 (February); the holder is still on 31 January.
      expect(await spentAt(wallet, '2025-02-01T07:59:59.500Z')).toEqual({ daily: 600n, monthly: 700n });
      await spendingAt(wallet, '2025-02-01T08:00:00Z', 800n); // 1 Feb 00:00:00 PST
      expect(await spentAt(wallet, '2025-02-01T08:00:00Z')).toEqual({ daily: 800n, monthly: 800n });
    });

    it('east of UTC (Asia/Tokyo): a new day and month begin while UTC is still on 31 January', async () => {
      const wallet = await row((await openWallet(newActor(), { timeZone: 'Asia/Tokyo' })).id);
      await spendingAt(wallet, '2025-01-31T14:59:59Z', 100n); // 31 Jan 23:59:59 JST
      expect(await spentAt(wallet, '2025-01-31T14:59:59.500Z')).toEqual({ daily: 100n, monthly: 100n });
      await spendingAt(wallet, '2025-01-31T15:00:00Z', 200n); // 1 Feb 00:00:00 JST
      // UTC would say 3.00 for both.
      expect(await spentAt(wallet, '2025-01-31T15:00:01Z')).toEqual({ daily: 200n, monthly: 200n });
    });

    it('a transfer’s daily limit check counts the local day (Asia/Kolkata), whichever side of UTC midnight it is now', async () => {
      const actor = newActor();
      const view = await openWallet(actor, { timeZone: 'Asia/Kolkata', dailyLimit: '100' });
      await ledger.deposits.execute(actor, { walletId: view.id, amount: '500.00' }, uuidv7());
      const payee = await openWallet(newActor());
      const wallet = await row(view.id);
      const now = new Date();
      const localDay = spendingWindow(now, 'Asia/Kolkata').dayStart.getTime();
      const utcDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      // 99.00 spent at an instant where the local and the UTC day disagree; 2.00 + 0.50 fee more
      // fits the 100.00 limit only when that spending belongs to another local day.
      if (localDay < utcDay) {
        // Local day began at 18:30 UTC yesterday: spending at 23:59 UTC yesterday is today locally.
        await spendingAt(wallet, new Date(utcDay - 60_000).toISOString(), 9_900n);
        const refused = await refusalOf(transfer(actor, view.id, payee.walletNumber, '2.00'));
        expect([refused.code, refused.details]).toEqual(['LIMIT_EXCEEDED', { limit: 'daily' }]);
      } else {
        // Local day began at 18:30 UTC today: spending at 18:29 UTC today is yesterday locally.
        await spendingAt(wallet, new Date(localDay - 60_000).toISOString(), 9_900n);
        expect(await outcome(transfer(actor, view.id, payee.walletNumber, '2.00'))).toBe('ok');
      }
    });

    it('stores the time zone given at open (canonical spelling), defaults to UTC, and refuses a name that is not a zone', async () => {
      expect((await openWallet(newActor(), { timeZone: 'europe/berlin' })).timeZone).toBe('Europe/Berlin');
      expect((await openWallet(newActor())).timeZone).toBe('UTC');
      expect(await outcome(openWallet(newActor(), { timeZone: 'Mars/Olympus_Mons' }))).toBe('VALIDATION_FAILED');
      expect(await outcome(openWallet(newActor(), { timeZone: '+05:30' }))).toBe('VALIDATION_FAILED');
    });
  });

  describe('per-transaction bounds on deposits (default config: 0.01 of each currency, at most 50,000 MYR equivalent)', () => {
    it('values a USD deposit at 4.70: accepts exactly 50,000 MYR worth, refuses one cent more and writes nothing for it', async () => {
      const service = ledger.walletsService;
      const deposits = new CreateDepositHandler(ledger.kernel, new WalletDirectory(ledger.db), ledger.accounts, loadLedgerConfig({}));
      const actor = newActor();
      const wallet = await openWallet(actor);

      const above = await refusalOf(deposits.execute(actor, { walletId: wallet.id, amount: '10638.30' }, uuidv7()));
      expect([above.code, above.details]).toEqual([
        'INVALID_AMOUNT',
        { limit: 'perTransactionMax', max: '50000.00', currency: 'MYR', amountInBaseCurrency: '50000.01', rate: '4.70' },
      ]);
      expect(await deposits.execute(actor, { walletId: wallet.id, amount: '10638.29' }, uuidv7())).toMatchObject({ status: 'completed' });
      expect(await deposits.execute(actor, { walletId: wallet.id, amount: '0.01' }, uuidv7())).toMatchObject({ status: 'completed' });
      expect((await service.get(actor, wallet.id)).balance).toBe('10638.30');
    });
  });

  /**
   * Until a session on this database waits on a lock (the other connection's statement has reached
   * it). Watched from a plain postgres session: the runtime role may not see others' wait events.
   */
  async function waitForLockWait(): Promise<void> {
    const watcher = new Client({ connectionString: URL });
    await watcher.connect();
    try {
      for (let i = 0; i < 500; i++) {
        const { rows } = await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows[0].n > 0) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('no statement ever waited for a lock');
    } finally {
      await watcher.end();
    }
  }
});
