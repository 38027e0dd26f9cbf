import { SPENDING_TYPES } from '../wallets/wallets.repository';
import { Actor, DomainError, TransactionView, uuidv7 } from '@tally/contracts';
import { formatAmount, parseAmount } from '@tally/money';
import { ledgerBookProblems, recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { loadLedgerConfig } from '../config/ledger.config';
import { FxRatesService } from '../fx/fx-rates.service';
import { LedgerHarness, HARNESS_PIN } from '../testing/ledger-harness';

const URL = process.env.TEST_LEDGER_PAYMENTS_DATABASE_URL ?? testDatabaseUrl('int_payments');
const PIN = '2580';

interface Wallet {
  actor: Actor;
  walletId: string;
}

/**
 * Purchases (same currency and converted at a stored rate) and withdrawals against a real database,
 * through the ledger's handlers (LedgerHarness): the entries they hold, fraud's decision posting or
 * voiding them, refusals that leave nothing behind, idempotency, and the per-user daily limit in the
 * base currency (MYR, 100,000 by default) under concurrent requests.
 */
describe('purchases and withdrawals', () => {
  let ledger: LedgerHarness;
  // PINs are hashed with a deliberately slow KDF, and funding a wallet takes several deposits.
  jest.setTimeout(60_000);

  beforeAll(async () => {
    await recreateDatabase(URL);
    ledger = await LedgerHarness.open(URL);
  });

  afterAll(async () => {
    await ledger?.close();
  });

  /** A wallet of a (new, unless given) user, funded by deposits of at most 10,000 (the per-transaction maximum). */
  async function wallet(currency: string, funds: string, actor: Actor = { userId: uuidv7(), roles: ['user'] }): Promise<Wallet> {
    const opened = await ledger.walletsService.open(actor, { currency, pin: PIN, ...(await ledger.walletsService.limitCaps(currency)) }, uuidv7());
    let left = parseAmount(funds, currency);
    const chunk = parseAmount('10000', currency);
    while (left > 0n) {
      const amount = left < chunk ? left : chunk;
      await ledger.deposits.execute(actor, { walletId: opened.id, amount: formatAmount(amount, currency) }, uuidv7());
      left -= amount;
    }
    return { actor, walletId: opened.id };
  }

  async function balance(w: Wallet): Promise<{ balance: string; available: string; pending: string }> {
    const b = await ledger.walletsService.balance(w.actor, w.walletId);
    return { balance: b.balance, available: b.available, pending: b.pending };
  }

  /** The coded error a command is refused with (a DomainError, or a money error such as INVALID_AMOUNT). */
  async function refusal(work: Promise<unknown>): Promise<{ code: string; details?: Record<string, unknown> }> {
    try {
      await work;
    } catch (err) {
      if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string') return err as Error & { code: string };
      throw err;
    }
    throw new Error('expected the command to be refused, but it succeeded');
  }

  async function pendingPostings(transactionId: string): Promise<{ code: string; direction: string; amount: string; currency: string }[]> {
    return ledger.db.query(
      `SELECT a.code, p.direction, p.amount::text AS amount, trim(p.currency) AS currency
         FROM ledger.postings p
         JOIN ledger.journal_entries e ON e.id = p.entry_id
         JOIN ledger.accounts a ON a.id = p.account_id
        WHERE e.transaction_id = $1 AND e.phase = 'pending'
        ORDER BY p.currency, p.direction, a.code`,
      [transactionId],
    );
  }

  async function systemBalance(code: string): Promise<{ posted: string; pending: string } | undefined> {
    const rows = await ledger.db.query(
      `SELECT (b.posted_credits - b.posted_debits)::text AS posted, (b.pending_credits - b.pending_debits)::text AS pending
         FROM ledger.balances b JOIN ledger.accounts a ON a.id = b.account_id WHERE a.code = $1`,
      [code],
    );
    return rows[0];
  }

  /** Rows a refused command must not leave behind: its transaction, its key, its event. */
  async function traces(userId: string, key: string): Promise<{ transactions: number; keys: number; events: number }> {
    const [t] = await ledger.db.query(`SELECT count(*)::int AS n FROM ledger.transactions WHERE user_id = $1 AND type IN ('purchase', 'withdrawal')`, [userId]);
    const [k] = await ledger.db.query(`SELECT count(*)::int AS n FROM ledger.idempotency_keys WHERE scope = $1 AND key = $2`, [`user:${userId}`, key]);
    const [e] = await ledger.db.query(
      `SELECT count(*)::int AS n FROM ledger.outbox WHERE payload->>'type' = 'transaction.pending' AND payload->'data'->>'userId' = $1`,
      [userId],
    );
    return { transactions: t.n, keys: k.n, events: e.n };
  }

  describe('a purchase in the wallet currency', () => {
    it('holds the amount for the merchant, then posts it when fraud approves', async () => {
      const w = await wallet('MYR', '100.00');
      const held = await ledger.payments.execute(
        w.actor,
        { walletId: w.walletId, amount: '25.50', merchantName: 'Starbucks Pavilion KL', merchantCategory: 'food_beverage', pin: PIN, description: 'latte' },
        uuidv7(),
      );
      expect(held).toMatchObject({
        type: 'purchase',
        status: 'pending',
        amount: '25.50',
        currency: 'MYR',
        fee: '0.00',
        merchantName: 'Starbucks Pavilion KL',
        merchantCategory: 'food_beverage',
        description: 'latte',
      });
      expect(held.originalAmount).toBeUndefined();
      expect(held.fxRate).toBeUndefined();
      expect(await balance(w)).toEqual({ balance: '100.00', available: '74.50', pending: '25.50' });
      expect(await pendingPostings(held.id)).toEqual([
        { code: 'system:merchant_settlement:MYR', direction: 'C', amount: '2550', currency: 'MYR' },
        { code: expect.stringMatching(/^wallet:/), direction: 'D', amount: '2550', currency: 'MYR' },
      ]);
      const [entry] = await ledger.db.query(`SELECT kind, metadata FROM ledger.journal_entries WHERE transaction_id = $1 AND phase = 'pending'`, [held.id]);
      expect(entry).toEqual({
        kind: 'purchase',
        // scoring: what the pending event told fraud, kept so a journal replay announces the same.
        metadata: {
          merchantName: 'Starbucks Pavilion KL',
          merchantCategory: 'food_beverage',
          scoring: { timeZone: 'UTC', baseCurrency: 'MYR', baseAmountMinor: '2550' },
        },
      });

      await ledger.decide(held.id, 'approve');
      expect(await balance(w)).toEqual({ balance: '74.50', available: '74.50', pending: '0.00' });
      const settled = await ledger.transactions.findById(held.id);
      expect(settled?.status).toBe('completed');
      const [event] = await ledger.db.query(
        `SELECT payload->'data' AS data FROM ledger.outbox WHERE payload->>'type' = 'transaction.pending' AND payload->'data'->>'transactionId' = $1`,
        [held.id],
      );
      expect(event.data).toMatchObject({
        type: 'purchase',
        amountMinor: '2550',
        currency: 'MYR',
        merchantName: 'Starbucks Pavilion KL',
        merchantCategory: 'food_beverage',
      });
      // What fraud scores with: the wallet's time zone and the debit in the base currency (MYR here, so the same amount).
      expect(event.data).toMatchObject({ timeZone: 'UTC', baseCurrency: 'MYR', baseAmountMinor: '2550' });
    });

    it('refuses a category that is not a lower-case slug and a blank merchant name before anything is written', async () => {
      const w = await wallet('MYR', '10.00');
      const base = { walletId: w.walletId, amount: '1.00', pin: PIN };
      expect((await refusal(ledger.payments.execute(w.actor, { ...base, merchantName: 'Shop', merchantCategory: 'Food & Drink' }, uuidv7()))).code).toBe(
        'VALIDATION_FAILED',
      );
      expect((await refusal(ledger.payments.execute(w.actor, { ...base, merchantName: '   ', merchantCategory: 'food' }, uuidv7()))).code).toBe(
        'VALIDATION_FAILED',
      );
      expect(
        (await refusal(ledger.payments.execute(w.actor, { ...base, amount: '1.001', merchantName: 'Shop', merchantCategory: 'food' }, uuidv7()))).code,
      ).toBe('INVALID_AMOUNT');
      expect((await traces(w.actor.userId, 'none')).transactions).toBe(0);
    });
  });

  describe('a purchase in another currency (FX)', () => {
    it('pays 10.00 USD from a MYR wallet at USD/MYR 4.70: 47.00 MYR debited, each currency balanced, the rate on the entry', async () => {
      const w = await wallet('MYR', '100.00');
      const held = await ledger.payments.execute(
        w.actor,
        { walletId: w.walletId, amount: '10.00', currency: 'USD', merchantName: 'Amazon US', merchantCategory: 'shopping', pin: PIN },
        uuidv7(),
      );
      expect(held).toMatchObject({
        type: 'purchase',
        status: 'pending',
        amount: '47.00',
        currency: 'MYR',
        originalAmount: '10.00',
        originalCurrency: 'USD',
        fxRate: '4.70',
      });

      expect(await pendingPostings(held.id)).toEqual([
        { code: 'system:fx_position:MYR', direction: 'C', amount: '4700', currency: 'MYR' },
        { code: expect.stringMatching(/^wallet:/), direction: 'D', amount: '4700', currency: 'MYR' },
        { code: 'system:merchant_settlement:USD', direction: 'C', amount: '1000', currency: 'USD' },
        { code: 'system:fx_position:USD', direction: 'D', amount: '1000', currency: 'USD' },
      ]);
      const [entry] = await ledger.db.query(`SELECT metadata FROM ledger.journal_entries WHERE transaction_id = $1 AND phase = 'pending'`, [held.id]);
      expect(entry.metadata.fx).toEqual({
        originalAmount: '1000',
        originalCurrency: 'USD',
        convertedAmount: '4700',
        walletCurrency: 'MYR',
        rate: '4.70',
        quote: 'USD/MYR 4.70',
        inverted: false,
        source: 'table',
        rounding: 'half-up to the wallet currency minor unit',
      });
      const [event] = await ledger.db.query(
        `SELECT payload->'data' AS data FROM ledger.outbox WHERE payload->>'type' = 'transaction.pending' AND payload->'data'->>'transactionId' = $1`,
        [held.id],
      );
      expect(event.data).toMatchObject({ amountMinor: '4700', currency: 'MYR', originalAmountMinor: '1000', originalCurrency: 'USD', fxRate: '4.70' });

      await ledger.decide(held.id, 'approve');
      expect(await balance(w)).toEqual({ balance: '53.00', available: '53.00', pending: '0.00' });
      expect((await ledger.transactions.findById(held.id))?.status).toBe('completed');
    });

    it('pays 47.00 MYR from a USD wallet through the derived inverse rate: 10.00 USD', async () => {
      const w = await wallet('USD', '20.00');
      const held = await ledger.payments.execute(
        w.actor,
        { walletId: w.walletId, amount: '47.00', currency: 'MYR', merchantName: 'Mydin', merchantCategory: 'groceries', pin: PIN },
        uuidv7(),
      );
      expect(held).toMatchObject({ amount: '10.00', currency: 'USD', originalAmount: '47.00', originalCurrency: 'MYR', fxRate: '0.212765957446809' });
      const [entry] = await ledger.db.query(`SELECT metadata FROM ledger.journal_entries WHERE transaction_id = $1 AND phase = 'pending'`, [held.id]);
      expect(entry.metadata.fx).toMatchObject({ quote: 'USD/MYR 4.70', inverted: true });
    });

    it('rounds the converted debit half-up: 0.01 USD is 0.047 MYR, debited as 0.05 MYR', async () => {
      const w = await wallet('MYR', '1.00');
      const held = await ledger.payments.execute(
        w.actor,
        { walletId: w.walletId, amount: '0.01', currency: 'USD', merchantName: 'App Store', merchantCategory: 'digital', pin: PIN },
        uuidv7(),
      );
      expect(held).toMatchObject({ amount: '0.05', currency: 'MYR', originalAmount: '0.01' });
    });

    it('refuses a pair with no rate (SGD from a USD wallet: no cross rates) with CURRENCY_MISMATCH and its details', async () => {
      const w = await wallet('USD', '50.00');
      const key = uuidv7();
      const err = await refusal(
        ledger.payments.execute(
          w.actor,
          { walletId: w.walletId, amount: '5.00', currency: 'SGD', merchantName: 'Changi', merchantCategory: 'travel', pin: PIN },
          key,
        ),
      );
      expect(err.code).toBe('CURRENCY_MISMATCH');
      expect(err.details).toEqual({ from: 'SGD', to: 'USD' });
      expect(await traces(w.actor.userId, key)).toEqual({ transactions: 0, keys: 0, events: 0 });
    });

    it('refuses an amount that converts to less than one minor unit with INVALID_AMOUNT', async () => {
      const w = await wallet('USD', '5.00');
      const err = await refusal(
        ledger.payments.execute(
          w.actor,
          { walletId: w.walletId, amount: '0.01', currency: 'MYR', merchantName: 'Kedai', merchantCategory: 'food', pin: PIN },
          uuidv7(),
        ),
      );
      expect(err.code).toBe('INVALID_AMOUNT');
    });

    it('uses a rate from LEDGER_FX_RATES over the stored one, in both directions', async () => {
      const fx = new FxRatesService(ledger.db, loadLedgerConfig({ LEDGER_FX_RATES: 'MYR/USD=0.25' }));
      expect(await fx.convert(1000n, 'MYR', 'USD')).toMatchObject({ convertedMinor: 250n, rate: '0.25', source: 'config', inverted: false });
      expect(await fx.convert(250n, 'USD', 'MYR')).toMatchObject({ convertedMinor: 1000n, rate: '4', source: 'config', inverted: true });
      // Pairs the configuration does not name still come from the table.
      expect(await fx.convert(100n, 'SGD', 'MYR')).toMatchObject({ convertedMinor: 350n, rate: '3.50', source: 'table' });
    });
  });

  describe('a withdrawal', () => {
    it('holds the amount against the funding account, then posts it; a rejected one releases the funds', async () => {
      const w = await wallet('USD', '100.00');
      const funding = await systemBalance('system:funding:USD');
      const held = await ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '40.00', pin: PIN, description: 'to bank' }, uuidv7());
      expect(held).toMatchObject({ type: 'withdrawal', status: 'pending', amount: '40.00', currency: 'USD', fee: '0.00', description: 'to bank' });
      expect(await pendingPostings(held.id)).toEqual([
        { code: 'system:funding:USD', direction: 'C', amount: '4000', currency: 'USD' },
        { code: expect.stringMatching(/^wallet:/), direction: 'D', amount: '4000', currency: 'USD' },
      ]);
      await ledger.decide(held.id, 'approve');
      expect(await balance(w)).toEqual({ balance: '60.00', available: '60.00', pending: '0.00' });
      // Funding is an asset: deposits debit it, withdrawals credit it back.
      expect(BigInt((await systemBalance('system:funding:USD'))!.posted) - BigInt(funding!.posted)).toBe(4000n);

      const rejected = await ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '60.00', pin: PIN }, uuidv7());
      expect(await balance(w)).toEqual({ balance: '60.00', available: '0.00', pending: '60.00' });
      await ledger.decide(rejected.id, 'reject');
      expect(await balance(w)).toEqual({ balance: '60.00', available: '60.00', pending: '0.00' });
      expect((await ledger.transactions.findById(rejected.id))?.status).toBe('voided');
    });

    it('refuses more than the available balance with INSUFFICIENT_FUNDS and leaves nothing behind', async () => {
      const w = await wallet('USD', '30.00');
      await ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '20.00', pin: PIN }, uuidv7());
      const key = uuidv7();
      const err = await refusal(ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '10.01', pin: PIN }, key));
      expect(err.code).toBe('INSUFFICIENT_FUNDS');
      expect(await traces(w.actor.userId, key)).toEqual({ transactions: 1, keys: 0, events: 1 });
      expect(await balance(w)).toEqual({ balance: '30.00', available: '10.00', pending: '20.00' });
      // The same key may be used again once the money is there: nothing was recorded under it.
      await ledger.deposits.execute(w.actor, { walletId: w.walletId, amount: '1.00' }, uuidv7());
      expect((await ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '10.01', pin: PIN }, key)).status).toBe('pending');
    });

    it('refuses a wrong PIN, a frozen wallet, the wallet daily limit and someone else’s wallet', async () => {
      const w = await wallet('USD', '100.00');
      expect((await refusal(ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '1.00', pin: '9182' }, uuidv7()))).code).toBe('INVALID_PIN');
      const stranger = { userId: uuidv7(), roles: ['user'] };
      expect((await refusal(ledger.withdrawals.execute(stranger, { walletId: w.walletId, amount: '1.00', pin: PIN }, uuidv7()))).code).toBe('NOT_FOUND');

      const owner = { userId: uuidv7(), roles: ['user'] };
      const limited = await ledger.walletsService.open(owner, { currency: 'USD', pin: PIN, dailyLimit: '50', monthlyLimit: '1000' }, uuidv7());
      await ledger.deposits.execute(owner, { walletId: limited.id, amount: '100.00' }, uuidv7());
      await ledger.withdrawals.execute(owner, { walletId: limited.id, amount: '30.00', pin: PIN }, uuidv7());
      const err = await refusal(
        ledger.payments.execute(owner, { walletId: limited.id, amount: '20.01', merchantName: 'Shop', merchantCategory: 'shopping', pin: PIN }, uuidv7()),
      );
      expect(err.code).toBe('LIMIT_EXCEEDED');
      expect(err.details).toMatchObject({ limit: 'daily' });

      await ledger.db.query(`UPDATE ledger.wallets SET status = 'frozen' WHERE id = $1`, [w.walletId]);
      expect((await refusal(ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '1.00', pin: PIN }, uuidv7()))).code).toBe('WALLET_NOT_ACTIVE');
    });
  });

  describe('idempotency', () => {
    it('replays the same purchase for the same key and body, and refuses the key with another body (409)', async () => {
      const w = await wallet('MYR', '100.00');
      const key = uuidv7();
      const body = { walletId: w.walletId, amount: '12.00', currency: 'USD', merchantName: 'Netflix', merchantCategory: 'entertainment', pin: PIN };
      const first = await ledger.payments.execute(w.actor, body, key);
      const again = await ledger.payments.execute(w.actor, body, key);
      expect(again).toEqual(first);
      // Concurrent twins of the same request: one effect, all see the same transaction.
      const twins = await Promise.all([1, 2, 3].map(() => ledger.payments.execute(w.actor, body, key)));
      expect(twins.map((t) => t.id)).toEqual([first.id, first.id, first.id]);
      expect((await traces(w.actor.userId, key)).transactions).toBe(1);

      expect((await refusal(ledger.payments.execute(w.actor, { ...body, amount: '12.01' }, key))).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await refusal(ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '12.00', pin: PIN }, key))).code).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await balance(w)).toEqual({ balance: '100.00', available: '43.60', pending: '56.40' });
    });

    it('replays a withdrawal without checking the PIN again', async () => {
      const w = await wallet('USD', '10.00');
      const key = uuidv7();
      const first = await ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '5.00', pin: PIN }, key);
      expect(await ledger.withdrawals.execute(w.actor, { walletId: w.walletId, amount: '5.00', pin: PIN }, key)).toEqual(first);
      expect(await balance(w)).toEqual({ balance: '10.00', available: '5.00', pending: '5.00' });
    });
  });

  describe('the per-user daily limit in MYR (100,000 by default) across wallets and currencies', () => {
    const LIMIT = 10_000_000n; // 100,000.00 MYR

    /**
     * 24 concurrent debits from one user's MYR and USD wallets; returns what was accepted, in MYR minor
     * units. They go through prepare + post (the path after the PIN check), so the slow PIN hash does
     * not space them out and they really meet in the database.
     */
    async function race(harness: LedgerHarness): Promise<{ accepted: bigint; refusedSizes: bigint[]; accepted_ids: string[] }> {
      const actor = { userId: uuidv7(), roles: ['user'] };
      const myr = await wallet('MYR', '150000.00', actor);
      const usd = await wallet('USD', '25000.00', actor);
      // 12 purchases of 9,000.00 MYR and 12 withdrawals of 1,000.00 USD (4,700.00 MYR): 164,400.00 MYR asked.
      const requests: { inMyr: bigint; run: () => Promise<TransactionView> }[] = [];
      for (let i = 0; i < 12; i++) {
        requests.push({
          inMyr: 900_000n,
          run: async () => {
            return harness.payments.execute(
              actor,
              { walletId: myr.walletId, amount: '9000.00', merchantName: `Shop ${i}`, merchantCategory: 'shopping', pin: HARNESS_PIN },
              uuidv7(),
            );
          },
        });
        requests.push({
          inMyr: 470_000n,
          run: async () => harness.withdrawals.execute(actor, { walletId: usd.walletId, amount: '1000.00', pin: HARNESS_PIN }, uuidv7()),
        });
      }
      const outcomes = await Promise.allSettled(requests.map((r) => r.run()));
      let accepted = 0n;
      const refusedSizes: bigint[] = [];
      const ids: string[] = [];
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') {
          accepted += requests[i].inMyr;
          ids.push(outcome.value.id);
        } else {
          const err = outcome.reason as DomainError;
          expect(err).toBeInstanceOf(DomainError);
          expect(err.code).toBe('LIMIT_EXCEEDED');
          expect(err.details).toMatchObject({ limit: 'user_daily', currency: 'MYR', limitAmount: '100000.00' });
          refusedSizes.push(requests[i].inMyr);
        }
      });
      // What the ledger itself counts for the user today agrees with what was accepted.
      expect(await spentTodayInMyr(harness, actor.userId)).toBe(accepted);
      return { accepted, refusedSizes, accepted_ids: ids };
    }

    it('is never exceeded by 24 concurrent purchases and withdrawals, and is filled as far as it goes', async () => {
      const { accepted, refusedSizes, accepted_ids } = await race(ledger);
      console.log(`user daily limit race: accepted ${formatAmount(accepted, 'MYR')} MYR, refused ${refusedSizes.length} of 24`);
      expect(accepted <= LIMIT).toBe(true);
      expect(refusedSizes.length).toBeGreaterThan(0);
      // Each refusal was right: the request would not fit even in what is left at the end.
      for (const size of refusedSizes) expect(accepted + size > LIMIT).toBe(true);
      // Posting (fraud approves) keeps them counted.
      for (const id of accepted_ids.slice(0, 3)) await ledger.decide(id, 'approve');
    });

    it('holds the same way when concurrent commands share database transactions (command batching)', async () => {
      const batched = await LedgerHarness.open(URL, 20, { COMMAND_BATCH_MAX: '8', COMMAND_BATCH_LANES: '2' });
      try {
        const { accepted, refusedSizes } = await race(batched);
        expect(accepted <= LIMIT).toBe(true);
        expect(refusedSizes.length).toBeGreaterThan(0);
        for (const size of refusedSizes) expect(accepted + size > LIMIT).toBe(true);
      } finally {
        await batched.close();
      }
    });

    it('counts a voided debit no more', async () => {
      const actor = { userId: uuidv7(), roles: ['user'] };
      const myr = await wallet('MYR', '100000.00', actor);
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        ids.push((await ledger.withdrawals.execute(actor, { walletId: myr.walletId, amount: '10000.00', pin: PIN }, uuidv7())).id);
      }
      const full = await refusal(ledger.withdrawals.execute(actor, { walletId: myr.walletId, amount: '0.01', pin: PIN }, uuidv7()));
      expect(full.code).toBe('LIMIT_EXCEEDED');
      await ledger.decide(ids[0], 'reject');
      expect((await ledger.withdrawals.execute(actor, { walletId: myr.walletId, amount: '10000.00', pin: PIN }, uuidv7())).status).toBe('pending');
    });
  });

  describe('afterwards', () => {
    it('the books are sound: every entry balanced per currency, settlements mirror their holds, balances equal their postings', async () => {
      expect(await ledgerBookProblems(ledger.db)).toEqual([]);
    });
  });
});

/** What the user spent today across wallets (pending and completed debits with fees), in MYR at the stored rates. */
async function spentTodayInMyr(harness: LedgerHarness, userId: string): Promise<bigint> {
  const rows: { currency: string; total: string }[] = await harness.db.query(
    `SELECT trim(currency) AS currency, sum(amount + fee)::text AS total FROM ledger.transactions
      WHERE user_id = $1 AND type = ANY($2) AND status IN ('pending', 'completed') AND created_at >= date_trunc('day', now()) GROUP BY currency`,
    [userId, SPENDING_TYPES],
  );
  let spent = 0n;
  for (const r of rows) spent += (await harness.fx.convert(BigInt(r.total), r.currency, 'MYR')).convertedMinor;
  return spent;
}
