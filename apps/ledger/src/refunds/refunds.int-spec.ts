import { Actor, DomainError, uuidv7 } from '@tally/contracts';
import { ledgerBookProblems, recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { LedgerHarness, HARNESS_PIN } from '../testing/ledger-harness';

const URL = process.env.TEST_LEDGER_REFUNDS_DATABASE_URL ?? testDatabaseUrl('int_refunds');
const DAY_AND_AN_HOUR = 25 * 60 * 60 * 1000;

type Owner = Awaited<ReturnType<LedgerHarness['fundedWallet']>>;

/**
 * Refunds, reversals and hold expiry against the real database: the amounts add up, the database
 * refuses what the code might let through, and the journal is only ever appended to.
 */
describe('refunds, reversals and hold expiry', () => {
  let ledger: LedgerHarness;
  const admin: Actor = { userId: uuidv7(), roles: ['user', 'admin'] };

  beforeAll(async () => {
    await recreateDatabase(URL);
    ledger = await LedgerHarness.open(URL, 20);
  });

  afterAll(async () => {
    await ledger?.close();
  });

  async function heldPurchase(owner: Owner, amount: string, currency?: string): Promise<string> {
    return (
      await ledger.payments.execute(
        owner.actor,
        { walletId: owner.walletId, amount, currency, merchantName: 'Corner Shop', merchantCategory: 'food_beverage', pin: HARNESS_PIN },
        uuidv7(),
      )
    ).id;
  }

  async function purchase(owner: Owner, amount: string, currency?: string): Promise<string> {
    const id = await heldPurchase(owner, amount, currency);
    await ledger.decide(id, 'approve');
    return id;
  }

  async function balance(owner: Owner): Promise<{ balance: string; available: string; pending: string }> {
    return ledger.walletsService.balance(owner.actor, owner.walletId);
  }

  /** A merchant's system, calling with an API key that may refund: the payer itself may not. */
  const merchant: Actor = { userId: uuidv7(), roles: ['user'], apiKeyId: uuidv7(), scopes: ['refunds:write'] };

  async function refund(actor: Actor, transactionId: string, amount?: string, key = uuidv7()) {
    return ledger.refunds.execute(actor, { transactionId, ...(amount === undefined ? {} : { amount }) }, key);
  }

  async function refusal(work: Promise<unknown>): Promise<string> {
    try {
      await work;
    } catch (err) {
      // DomainError, or the money lib's InvalidAmountError: both carry an api-v1 code.
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string') return code;
      throw err;
    }
    throw new Error('expected a refusal');
  }

  async function row(id: string): Promise<{ status: string; refunded_amount: string }> {
    const found = await ledger.transactions.findById(id);
    if (!found) throw new Error(`no transaction ${id}`);
    return found;
  }

  async function systemBalance(purpose: string, currency: string): Promise<bigint> {
    const rows: { net: string }[] = await ledger.db.query(
      `SELECT (b.posted_credits - b.posted_debits)::text AS net FROM ledger.balances b JOIN ledger.accounts a ON a.id = b.account_id WHERE a.code = $1`,
      [`system:${purpose}:${currency}`],
    );
    return BigInt(rows[0]?.net ?? '0');
  }

  describe('refunds', () => {
    it('refunds a whole purchase when no amount is given, and nothing more after that', async () => {
      const ann = await ledger.fundedWallet('USD', '100.00');
      const merchantBefore = await systemBalance('merchant_settlement', 'USD');
      const id = await purchase(ann, '40.00');
      expect((await balance(ann)).balance).toBe('60.00');

      const refunded = await refund(merchant, id);
      expect(refunded).toMatchObject({
        type: 'refund',
        status: 'completed',
        amount: '40.00',
        currency: 'USD',
        walletId: ann.walletId,
        originalTransactionId: id,
        merchantName: 'Corner Shop',
        merchantCategory: 'food_beverage',
      });
      expect(await balance(ann)).toMatchObject({ balance: '100.00', available: '100.00', pending: '0.00' });
      expect(await systemBalance('merchant_settlement', 'USD')).toBe(merchantBefore);
      expect(await ledger.transactions.findById(id)).toMatchObject({ status: 'completed', refunded_amount: '4000' });

      expect(await refusal(refund(merchant, id))).toBe('REFUND_EXCEEDS_ORIGINAL');
      expect(await refusal(refund(merchant, id, '0.01'))).toBe('REFUND_EXCEEDS_ORIGINAL');

      // Its own posted entry and its own event.
      const entries = await ledger.db.query(`SELECT kind, phase, metadata FROM ledger.journal_entries WHERE transaction_id = $1`, [refunded.id]);
      expect(entries).toEqual([{ kind: 'refund', phase: 'posted', metadata: { refundOf: id, refundedBy: merchant.userId, apiKeyId: merchant.apiKeyId } }]);
      const events = await ledger.db.query(`SELECT payload FROM ledger.outbox WHERE payload->'data'->>'transactionId' = $1`, [refunded.id]);
      expect(events).toHaveLength(1);
      expect(events[0].payload).toMatchObject({ type: 'transaction.posted', data: { type: 'refund', originalTransactionId: id, amountMinor: '4000' } });
    });

    it('takes partial refunds up to the purchase amount and refuses one cent more', async () => {
      const ben = await ledger.fundedWallet('USD', '50.00');
      const id = await purchase(ben, '10.00');
      await refund(merchant, id, '2.50');
      await refund(merchant, id, '7.49');
      expect(await balance(ben)).toMatchObject({ balance: '49.99' });

      expect(await refusal(refund(merchant, id, '0.02'))).toBe('REFUND_EXCEEDS_ORIGINAL');
      const last = await refund(merchant, id, '0.01');
      expect(last.amount).toBe('0.01');
      expect(await ledger.transactions.findById(id)).toMatchObject({ refunded_amount: '1000', status: 'completed' });
      expect(await balance(ben)).toMatchObject({ balance: '50.00' });
      expect(await refusal(refund(merchant, id, '0.01'))).toBe('REFUND_EXCEEDS_ORIGINAL');
    });

    it('refunds a purchase in another currency through the FX accounts, the merchant side in proportion', async () => {
      // The stored rate 1 SGD = 3.50 MYR: 3.33 SGD cost 11.655 MYR, rounded half-up to 11.66 MYR.
      const cai = await ledger.fundedWallet('MYR', '100.00');
      const id = await purchase(cai, '3.33', 'SGD');
      expect(await ledger.transactions.findById(id)).toMatchObject({ amount: '1166', currency: 'MYR', original_amount: '333', original_currency: 'SGD' });
      const merchantSgd = await systemBalance('merchant_settlement', 'SGD');

      const first = await refund(merchant, id, '5.00');
      // The merchant gives back round-half-up(333 × 500 / 1166) = round(142.79) = 1.43 SGD.
      expect(first).toMatchObject({ amount: '5.00', currency: 'MYR', originalAmount: '1.43', originalCurrency: 'SGD' });
      expect(await systemBalance('merchant_settlement', 'SGD')).toBe(merchantSgd - 143n);
      const rest = await refund(merchant, id);
      expect(rest).toMatchObject({ amount: '6.66', originalAmount: '1.90', originalCurrency: 'SGD' });
      expect(await balance(cai)).toMatchObject({ balance: '100.00' });
      expect(await systemBalance('merchant_settlement', 'SGD')).toBe(merchantSgd - 333n);
    });

    it('never refunds more than the purchase under 16 concurrent partial refunds', async () => {
      const dee = await ledger.fundedWallet('USD', '20.00');
      const id = await purchase(dee, '10.00');
      const outcomes = await Promise.allSettled(Array.from({ length: 16 }, () => refund(merchant, id, '1.00')));
      const done = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(done).toHaveLength(10);
      expect(refused.map((o) => (o.reason as DomainError).code)).toEqual(Array(6).fill('REFUND_EXCEEDS_ORIGINAL'));
      expect(await ledger.transactions.findById(id)).toMatchObject({ refunded_amount: '1000' });
      const sum = await ledger.db.query(`SELECT sum(amount)::text AS total, count(*)::int AS n FROM ledger.transactions WHERE original_transaction_id = $1`, [
        id,
      ]);
      expect(sum[0]).toEqual({ total: '1000', n: 10 });
      expect(await balance(dee)).toMatchObject({ balance: '20.00' });
    });

    it('never refunds more than the purchase with command batching on (refunds share a database transaction)', async () => {
      const batched = await LedgerHarness.open(URL, 8, { COMMAND_BATCH_MAX: '8', COMMAND_BATCH_LANES: '2' });
      try {
        const eve = await batched.fundedWallet('USD', '20.00');
        const id = (
          await batched.payments.execute(
            eve.actor,
            { walletId: eve.walletId, amount: '10.00', merchantName: 'Kiosk', merchantCategory: 'shopping', pin: HARNESS_PIN },
            uuidv7(),
          )
        ).id;
        await batched.decide(id, 'approve');
        const outcomes = await Promise.allSettled(
          Array.from({ length: 16 }, () => batched.refunds.execute(merchant, { transactionId: id, amount: '0.75' }, uuidv7())),
        );
        // 13 × 0.75 = 9.75; a 14th would be 10.50.
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(13);
        expect(await batched.transactions.findById(id)).toMatchObject({ refunded_amount: '975' });
      } finally {
        await batched.close();
      }
    });

    it('refuses to refund a pending or voided purchase, a transfer, or someone else’s purchase', async () => {
      const fay = await ledger.fundedWallet('USD', '100.00');
      const gus = await ledger.fundedWallet('USD', '100.00');
      const pending = await heldPurchase(fay, '5.00');
      expect(await refusal(refund(merchant, pending))).toBe('CONFLICT');
      await ledger.decide(pending, 'reject');
      expect(await row(pending)).toMatchObject({ status: 'voided' });
      expect(await refusal(refund(merchant, pending))).toBe('CONFLICT');

      const transfer = await ledger.transfers.execute(
        fay.actor,
        { fromWalletId: fay.walletId, toWalletNumber: gus.walletNumber, amount: '5.00', pin: HARNESS_PIN },
        uuidv7(),
      );
      await ledger.decide(transfer.id, 'approve');
      expect(await refusal(refund(merchant, transfer.id))).toBe('VALIDATION_FAILED');

      const bought = await purchase(fay, '5.00');
      expect(await refusal(refund(gus.actor, bought))).toBe('NOT_FOUND');
      // The payer cannot take the money back from the merchant; a key without the scope is the payer too.
      expect(await refusal(refund(fay.actor, bought))).toBe('FORBIDDEN');
      expect(await refusal(refund({ ...fay.actor, apiKeyId: uuidv7(), scopes: ['payments:write'] }, bought))).toBe('FORBIDDEN');
      expect(await refusal(refund(gus.actor, uuidv7()))).toBe('NOT_FOUND');
      expect(await refusal(refund(merchant, bought, '1.001'))).toBe('INVALID_AMOUNT');
      // An admin may refund anyone's purchase.
      expect((await refund(admin, bought, '1.00')).amount).toBe('1.00');
      expect(await row(bought)).toMatchObject({ refunded_amount: '100' });
    });

    it('replays a refund for the same Idempotency-Key and refuses the key for another request', async () => {
      const hal = await ledger.fundedWallet('USD', '100.00');
      const id = await purchase(hal, '30.00');
      const key = uuidv7();
      const first = await refund(merchant, id, '10.00', key);
      const again = await refund(merchant, id, '10.00', key);
      expect(again.id).toBe(first.id);
      expect(await row(id)).toMatchObject({ refunded_amount: '1000' });
      expect(await refusal(refund(merchant, id, '11.00', key))).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('reversals', () => {
    async function transfer(from: Owner, to: Owner, amount: string): Promise<string> {
      const pending = await ledger.transfers.execute(
        from.actor,
        { fromWalletId: from.walletId, toWalletNumber: to.walletNumber, amount, pin: HARNESS_PIN },
        uuidv7(),
      );
      await ledger.decide(pending.id, 'approve');
      return pending.id;
    }

    function reverse(actor: Actor, transactionId: string) {
      return ledger.reversals.execute(actor, { transactionId, reason: 'customer dispute' }, uuidv7());
    }

    it('restores both wallets and the fee, marks both sides reversed, and only appends to the journal', async () => {
      const ivy = await ledger.fundedWallet('USD', '100.00');
      const jon = await ledger.fundedWallet('USD', '10.00');
      const id = await transfer(ivy, jon, '25.00');
      expect((await balance(ivy)).balance).toBe('74.50');
      expect((await balance(jon)).balance).toBe('35.00');
      const journalBefore = await ledger.db.query(
        `SELECT e.id, e.kind, e.phase, e.metadata, p.account_id, p.direction, p.amount::text FROM ledger.journal_entries e JOIN ledger.postings p ON p.entry_id = e.id ORDER BY p.id`,
      );

      const reversed = await reverse(admin, id);
      expect(reversed).toMatchObject({ id, type: 'transfer_out', status: 'reversed' });
      expect((await balance(ivy)).balance).toBe('100.00');
      expect((await balance(jon)).balance).toBe('10.00');
      const sides = await ledger.db.query(`SELECT type, status FROM ledger.transactions WHERE id = $1 OR linked_transaction_id = $1 ORDER BY type`, [id]);
      expect(sides).toEqual([
        { type: 'transfer_in', status: 'reversed' },
        { type: 'transfer_out', status: 'reversed' },
      ]);

      // Everything that was in the journal is still there unchanged; one reversal entry was added.
      const journalAfter = await ledger.db.query(
        `SELECT e.id, e.kind, e.phase, e.metadata, p.account_id, p.direction, p.amount::text FROM ledger.journal_entries e JOIN ledger.postings p ON p.entry_id = e.id ORDER BY p.id`,
      );
      expect(journalAfter.slice(0, journalBefore.length)).toEqual(journalBefore);
      const added = journalAfter.slice(journalBefore.length);
      expect(new Set(added.map((r: { kind: string }) => r.kind))).toEqual(new Set(['reversal']));
      const pendingEntryId = (await ledger.transactions.findById(id))?.pending_entry_id;
      expect(added[0].metadata).toEqual({ reversesEntryId: pendingEntryId, reason: 'customer dispute', reversedBy: admin.userId });
      const event = await ledger.db.query(
        `SELECT payload FROM ledger.outbox WHERE payload->>'type' = 'transaction.reversed' AND payload->'data'->>'transactionId' = $1`,
        [id],
      );
      expect(event[0].payload.data).toMatchObject({ status: 'reversed', reason: 'customer dispute' });

      // Once only, by anyone.
      expect(await refusal(reverse(admin, id))).toBe('CONFLICT');
    });

    it('is for admins only, and refuses what is pending, voided, refunded or a refund', async () => {
      const kim = await ledger.fundedWallet('USD', '100.00');
      const bought = await purchase(kim, '10.00');
      expect(await refusal(reverse(kim.actor, bought))).toBe('FORBIDDEN');

      const held = await heldPurchase(kim, '5.00');
      expect(await refusal(reverse(admin, held))).toBe('CONFLICT');
      await ledger.decide(held, 'reject');
      expect(await refusal(reverse(admin, held))).toBe('CONFLICT');

      const refunded = await refund(merchant, bought, '1.00');
      expect(await refusal(reverse(admin, bought))).toBe('CONFLICT');
      expect(await refusal(reverse(admin, refunded.id))).toBe('VALIDATION_FAILED');
      expect(await refusal(reverse(admin, uuidv7()))).toBe('NOT_FOUND');

      // A whole purchase comes back to the wallet from the merchant.
      const other = await purchase(kim, '20.00');
      expect((await balance(kim)).balance).toBe('71.00');
      await reverse(admin, other);
      expect((await balance(kim)).balance).toBe('91.00');
    });

    it('reverses a transfer named by its receiving side, and refuses when the receiver has spent the money', async () => {
      const lea = await ledger.fundedWallet('USD', '100.00');
      const max = await ledger.fundedWallet('USD', '0.01');
      const id = await transfer(lea, max, '30.00');
      const received = await ledger.db.query(`SELECT id FROM ledger.transactions WHERE linked_transaction_id = $1`, [id]);
      await purchase(max, '25.00');
      expect(await refusal(reverse(admin, received[0].id))).toBe('INSUFFICIENT_FUNDS');
      expect(await row(id)).toMatchObject({ status: 'completed' });

      const refill = await ledger.fundedWallet('USD', '30.00');
      await transfer(refill, max, '25.00');
      const reversed = await reverse(admin, received[0].id);
      expect(reversed).toMatchObject({ id, status: 'reversed' });
      expect((await balance(lea)).balance).toBe('100.00');
    });
  });

  describe('hold expiry', () => {
    /** The hold's two entries, the second with `reason`, and the event announcing it with the same reason. */
    async function expectResolvedWithReason(id: string, phase: 'post_pending' | 'void_pending', reason: string): Promise<void> {
      const entries = await ledger.db.query(
        `SELECT phase, metadata->>'reason' AS reason FROM ledger.journal_entries WHERE transaction_id = $1 ORDER BY created_at`,
        [id],
      );
      expect(entries).toEqual([
        { phase: 'pending', reason: null },
        { phase, reason },
      ]);
      const [type, status] = phase === 'post_pending' ? ['transaction.posted', 'completed'] : ['transaction.voided', 'voided'];
      const event = await ledger.db.query(`SELECT payload FROM ledger.outbox WHERE payload->>'type' = $1 AND payload->'data'->>'transactionId' = $2`, [
        type,
        id,
      ]);
      expect(event[0].payload.data).toMatchObject({ status, reason });
    }

    it('voids a hold older than the timeout, and a late approval then changes nothing', async () => {
      const ned = await ledger.fundedWallet('USD', '100.00');
      const old = await heldPurchase(ned, '30.00');
      expect(await balance(ned)).toMatchObject({ balance: '100.00', available: '70.00', pending: '30.00' });
      const sweeper = ledger.holdExpiry({ holdTimeoutMs: 24 * 60 * 60 * 1000 });

      // Not yet expired now.
      expect(await sweeper.sweep(new Date())).toBe(0);
      // A day and an hour later it is.
      const voided = await sweeper.sweep(new Date(Date.now() + DAY_AND_AN_HOUR));
      expect(voided).toBeGreaterThanOrEqual(1);
      expect(await row(old)).toMatchObject({ status: 'voided' });
      expect(await balance(ned)).toMatchObject({ balance: '100.00', available: '100.00', pending: '0.00' });
      await expectResolvedWithReason(old, 'void_pending', 'expired');

      await ledger.decide(old, 'approve');
      expect(await row(old)).toMatchObject({ status: 'voided' });
      const after = await ledger.db.query(`SELECT phase FROM ledger.journal_entries WHERE transaction_id = $1`, [old]);
      expect(after).toHaveLength(2);
      expect(await balance(ned)).toMatchObject({ balance: '100.00', pending: '0.00' });
    });

    it('fail-open (off by default): posts small holds fraud never scored, leaves large, reviewed and fresh ones held', async () => {
      const rex = await ledger.fundedWallet('USD', '100.00');
      const small = await heldPurchase(rex, '5.00'); // 23.50 MYR at USD/MYR 4.70
      const large = await heldPurchase(rex, '20.00'); // 94.00 MYR
      const reviewed = await heldPurchase(rex, '4.00');
      await ledger.decide(reviewed, 'review', 65);
      const inAMinute = new Date(Date.now() + 61_000);
      expect(await ledger.holdExpiry().failOpen(inAMinute)).toBe(0);

      const sweeper = ledger.holdExpiry({ fraudFailOpenMaxMinor: 5000n, fraudFailOpenAfterMs: 60_000 });
      expect(await sweeper.failOpen(new Date())).toBe(0); // not old enough yet
      expect(await sweeper.failOpen(inAMinute)).toBeGreaterThanOrEqual(1);
      expect(await row(small)).toMatchObject({ status: 'completed' });
      expect(await row(large)).toMatchObject({ status: 'pending' });
      expect(await row(reviewed)).toMatchObject({ status: 'pending' });
      expect(await balance(rex)).toMatchObject({ balance: '95.00', available: '71.00', pending: '24.00' });
      await expectResolvedWithReason(small, 'post_pending', 'fraud_fail_open');
      // Fraud's late rejection changes nothing: the money moved under the limit.
      await ledger.decide(small, 'reject');
      expect(await row(small)).toMatchObject({ status: 'completed' });
      expect(await sweeper.failOpen(inAMinute)).toBe(0);
      await ledger.decide(large, 'reject');
      await ledger.decide(reviewed, 'reject');
    });

    it('sweeps on its timer and stops cleanly', async () => {
      const ola = await ledger.fundedWallet('USD', '100.00');
      const held = await heldPurchase(ola, '12.00');
      const sweeper = ledger.holdExpiry({ holdTimeoutMs: 1000, holdSweepMs: 100 });
      sweeper.onApplicationBootstrap();
      try {
        const deadline = Date.now() + 15_000;
        while ((await row(held)).status === 'pending' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      } finally {
        await sweeper.onModuleDestroy();
      }
      expect(await row(held)).toMatchObject({ status: 'voided' });
    });

    it('resolves each hold exactly once when the sweep and fraud decisions race', async () => {
      const pia = await ledger.fundedWallet('USD', '1000.00');
      const quinn = await ledger.fundedWallet('USD', '1.00');
      const held: string[] = [];
      for (let i = 0; i < 30; i++) {
        if (i % 2 === 0) held.push(await heldPurchase(pia, '3.00'));
        else {
          held.push(
            (
              await ledger.transfers.execute(
                pia.actor,
                { fromWalletId: pia.walletId, toWalletNumber: quinn.walletNumber, amount: '3.00', pin: HARNESS_PIN },
                uuidv7(),
              )
            ).id,
          );
        }
      }
      const sweepers = [ledger.holdExpiry(), ledger.holdExpiry()];
      const later = new Date(Date.now() + DAY_AND_AN_HOUR);
      await Promise.all([...sweepers.map((s) => s.sweep(later)), ...held.map((id) => ledger.decide(id, 'approve'))]);

      const resolutions = await ledger.db.query(
        `SELECT t.id, t.status, count(e.id)::int AS n, min(e.phase) AS phase
           FROM ledger.transactions t JOIN ledger.journal_entries e ON e.pending_entry_id = t.pending_entry_id
          WHERE t.id = ANY($1::uuid[]) GROUP BY t.id, t.status`,
        [held],
      );
      expect(resolutions).toHaveLength(held.length);
      for (const r of resolutions) {
        expect(r.n).toBe(1);
        expect(r.status).toBe(r.phase === 'post_pending' ? 'completed' : 'voided');
      }
      const pending = await balance(pia);
      expect(pending.pending).toBe('0.00');
    });
  });

  describe('afterwards', () => {
    it('leaves the books sound', async () => {
      expect(await ledgerBookProblems(ledger.db)).toEqual([]);
    });
  });
});
