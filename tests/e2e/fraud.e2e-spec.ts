import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventEnvelope, FraudDecisionV1, Topics, TransactionEventData } from '@tally/contracts';
import { ApiClient, ApiResponse, daytimeZone, readTopic, testKafkaClient, waitFor, waitForConsumerGroups } from '@tally/testing';
import { enrolTotp, signInAdmin, signInWithTotp, signUp, signUpUser } from './sign-up';
import { GATEWAY_URL, TEST_DATABASE_URL, TEST_KAFKA } from '../stack-env';

jest.setTimeout(180_000);

/**
 * Fraud in the money path over HTTP and Kafka: every debit is held, scored from fraud's own
 * projection, and posted, held for review or voided; admins work the review queue.
 * Off hours depends on the wall clock, so wallets here open in a zone where it is daytime now.
 */
describe('fraud scoring and the review queue', () => {
  const api = new ApiClient(GATEWAY_URL);
  let admin: ApiClient;
  let adminId: string;
  let kafka: Kafka;
  let db: DataSource;

  beforeAll(async () => {
    const login = await signInAdmin(api);
    admin = api.as(login.accessToken);
    adminId = login.user.id;
    kafka = testKafkaClient('fraud-e2e', { kafka: TEST_KAFKA });
    db = await new DataSource({ type: 'postgres', url: TEST_DATABASE_URL }).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  async function fundedWallet(user: ApiClient, amount: string): Promise<string> {
    const wallet = await user.post('/v1/wallets', { currency: 'USD', pin: '2580', dailyLimit: '10000', monthlyLimit: '100000', timeZone: daytimeZone() });
    expect(wallet.status).toBe(201);
    expect((await user.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount })).status).toBe(201);
    return wallet.body.id;
  }

  function pay(user: ApiClient, walletId: string, amount: string, merchantName: string): Promise<ApiResponse> {
    return user.post('/v1/payments', { walletId, amount, merchantName, merchantCategory: 'shopping', pin: '2580' });
  }

  /**
   * The transaction once fraud has decided (a score is on it): completed, voided, or pending for
   * review. The score is read where admins read it; the owner's own view never shows it.
   */
  async function scored(user: ApiClient, res: ApiResponse, status: string): Promise<Record<string, any>> {
    expect([201, 202]).toContain(res.status);
    const seen = await waitFor(
      async () => {
        const now = (await admin.get(`/v1/admin/transactions/${res.body.id}`)).body.transaction;
        return now?.status === status && now.fraudScore !== undefined ? now : undefined;
      },
      { timeoutMs: 30_000, what: `transaction ${res.body.id} to be ${status} with a score` },
    );
    const own = (await user.get(`/v1/transactions/${res.body.id}`)).body;
    expect(own).toMatchObject({ id: res.body.id, status });
    expect(own).not.toHaveProperty('fraudScore');
    expect(own).not.toHaveProperty('fraudFlags');
    return seen;
  }

  const withoutFraud = (t: Record<string, unknown>) => !('fraudScore' in t) && !('fraudFlags' in t);

  async function balance(user: ApiClient, walletId: string) {
    const b = (await user.get(`/v1/wallets/${walletId}/balance`)).body;
    return { balance: b.balance, available: b.available, pending: b.pending };
  }

  it('a clean purchase completes with score 0 and no flags', async () => {
    const ann = await signUp(api, 'fraud-clean');
    const walletId = await fundedWallet(ann, '100.00');
    const res = await pay(ann, walletId, '12.50', 'Bookshop');
    expect(res.status).toBe(201);
    expect(await scored(ann, res, 'completed')).toMatchObject({ status: 'completed', fraudScore: 0, fraudFlags: [] });
    expect(await balance(ann, walletId)).toEqual({ balance: '87.50', available: '87.50', pending: '0.00' });
  });

  it('only admins and auditors see a score: neither the payer nor the receiver of a transfer does', async () => {
    const payer = await signUp(api, 'fraud-payer');
    const receiver = await signUp(api, 'fraud-receiver');
    const fromId = await fundedWallet(payer, '100.00');
    const to = (await receiver.post('/v1/wallets', { currency: 'USD', pin: '2580', timeZone: daytimeZone() })).body;
    const sent = await payer.post('/v1/transfers', { fromWalletId: fromId, toWalletNumber: to.walletNumber, amount: '20.00', pin: '2580' });
    const judged = await scored(payer, sent, 'completed');
    expect(judged).toMatchObject({ type: 'transfer_out', fraudScore: 0, fraudFlags: [] });

    const payerList = (await payer.get(`/v1/transactions?walletId=${fromId}`)).body.items;
    expect(payerList.length).toBeGreaterThan(0);
    expect(payerList.every(withoutFraud)).toBe(true);
    const received = await waitFor(
      async () => {
        const items = (await receiver.get(`/v1/transactions?walletId=${to.id}`)).body.items as Record<string, unknown>[];
        return items.find((t) => t.type === 'transfer_in' && t.status === 'completed');
      },
      { what: 'the receiver to see the transfer' },
    );
    expect(withoutFraud(received)).toBe(true);
    expect(withoutFraud((await receiver.get(`/v1/transactions/${received.id}`)).body)).toBe(true);
    // The admin's detail of the receiver's row lists the sender's row, score included.
    const detail = (await admin.get(`/v1/admin/transactions/${received.id}`)).body;
    expect(detail.related.find((t: { id: string }) => t.id === sent.body.id)).toMatchObject({ fraudScore: 0, fraudFlags: [] });
    const adminList = (await admin.get(`/v1/admin/transactions?userId=${(await payer.get('/v1/me')).body.id}`)).body.items;
    expect(adminList.find((t: { id: string }) => t.id === sent.body.id)).toMatchObject({ fraudScore: 0, fraudFlags: [] });
  });

  describe('velocity, unusual amount and high value together', () => {
    let bob: ApiClient;
    let walletId: string;
    let heldId: string;
    let secondHeldId: string;

    beforeAll(async () => {
      bob = await signUp(api, 'fraud-bob');
      walletId = await fundedWallet(bob, '10000.00');
    });

    it('six small purchases within ten minutes complete; the sixth already carries HIGH_VELOCITY (20, approved)', async () => {
      const amounts = ['10.00', '11.00', '12.00', '13.00', '14.00', '15.00'];
      const results = [];
      for (const [i, amount] of amounts.entries()) results.push(await scored(bob, await pay(bob, walletId, amount, `Cafe ${i}`), 'completed'));
      expect(results.map((t) => t.fraudScore)).toEqual([0, 0, 0, 0, 0, 20]);
      expect(results[5].fraudFlags).toEqual(['HIGH_VELOCITY']);
    });

    it('a seventh far above the average and above 10,000 MYR scores 60 and is held for review, funds held', async () => {
      // 2,200.00 USD = 10,340.00 MYR at 4.70; the average so far is 12.50 USD.
      const res = await pay(bob, walletId, '2200.00', 'Electronics Mall');
      expect(res.status).toBe(202);
      const held = await scored(bob, res, 'pending');
      expect(held).toMatchObject({ status: 'pending', fraudScore: 60, fraudFlags: ['HIGH_VELOCITY', 'UNUSUAL_AMOUNT', 'HIGH_VALUE'] });
      heldId = held.id;
      expect(await balance(bob, walletId)).toEqual({ balance: '9925.00', available: '7725.00', pending: '2200.00' });
    });

    it('the admin sees it in the review queue with the rules hit and the user history; a plain user is refused', async () => {
      const queue = await admin.get('/v1/admin/fraud/reviews?limit=100');
      expect(queue.status).toBe(200);
      const item = queue.body.items.find((c: { transactionId: string }) => c.transactionId === heldId);
      expect(item).toMatchObject({
        amount: '2200.00',
        currency: 'USD',
        merchantName: 'Electronics Mall',
        score: 60,
        band: 'review',
        status: 'open',
        type: 'purchase',
      });
      expect(item.rulesHit.map((h: { rule: string; points: number }) => [h.rule, h.points])).toEqual([
        ['high_velocity', 20],
        ['unusual_amount', 20],
        ['high_value', 20],
      ]);
      expect(item.rulesHit[0].evidence).toMatchObject({ count: 7, maxCount: 5, windowMinutes: 10 });
      expect(item.rulesHit[1].evidence).toMatchObject({ earlierDebits: 6, averageMinor: '1250' });
      expect(item.rulesHit[2].evidence).toMatchObject({ amountMinor: '1034000', thresholdMinor: '1000000', currency: 'MYR' });
      expect(item.userHistory.debits).toMatchObject({ last10Minutes: 6, lastHour: 6, last30Days: 6 });
      expect(item.userHistory.lastTransactions).toHaveLength(5);
      expect((await bob.get('/v1/admin/fraud/reviews')).status).toBe(403);
      expect((await bob.post(`/v1/admin/fraud/reviews/${heldId}/approve`, { reason: 'mine' })).status).toBe(403);
    });

    it('an admin approves one held transaction and rejects another: posted and voided, balances right, audited', async () => {
      const second = await pay(bob, walletId, '2300.00', 'Jewellery Store');
      const secondHeld = await scored(bob, second, 'pending');
      expect(secondHeld.fraudScore).toBe(60);
      secondHeldId = secondHeld.id;

      const bad = await admin.post(`/v1/admin/fraud/reviews/${heldId}/approve`, { reason: '' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('VALIDATION_FAILED');

      const approved = await admin.post(`/v1/admin/fraud/reviews/${heldId}/approve`, { reason: 'customer confirmed by phone' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ transactionId: heldId, decision: 'approve', reason: 'customer confirmed by phone', decidedBy: adminId });
      const rejected = await admin.post(`/v1/admin/fraud/reviews/${secondHeldId}/reject`, { reason: 'card testing pattern' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ transactionId: secondHeldId, decision: 'reject', decidedBy: adminId });

      expect(await scored(bob, { status: 202, body: { id: heldId } } as ApiResponse, 'completed')).toMatchObject({ fraudScore: 60 });
      expect(await scored(bob, { status: 202, body: { id: secondHeldId } } as ApiResponse, 'voided')).toMatchObject({ fraudScore: 60 });
      expect(await balance(bob, walletId)).toEqual({ balance: '7725.00', available: '7725.00', pending: '0.00' });

      // A repeat of the same decision answers it again; a different one is a conflict; an unknown case is 404.
      expect((await admin.post(`/v1/admin/fraud/reviews/${heldId}/approve`, { reason: 'customer confirmed by phone' })).body).toEqual(approved.body);
      const conflict = await admin.post(`/v1/admin/fraud/reviews/${heldId}/reject`, { reason: 'changed my mind' });
      expect(conflict.status).toBe(409);
      expect(conflict.body.error).toBe('CONFLICT');
      expect((await admin.post(`/v1/admin/fraud/reviews/${walletId}/approve`, { reason: 'x' })).status).toBe(404);

      const approvedList = (await admin.get('/v1/admin/fraud/reviews?status=approved&limit=100')).body.items;
      expect(approvedList.find((c: { transactionId: string }) => c.transactionId === heldId)).toMatchObject({
        status: 'approved',
        decision: { decision: 'approve', reason: 'customer confirmed by phone', decidedBy: adminId },
      });
      const rejectedList = (await admin.get('/v1/admin/fraud/reviews?status=rejected&limit=100')).body.items;
      expect(rejectedList.find((c: { transactionId: string }) => c.transactionId === secondHeldId)).toMatchObject({ status: 'rejected' });

      // The events: fraud published review then the admin's decision; the ledger posted one and voided the other.
      const decisions = (await readTopic(kafka, Topics.fraudDecisions))
        .map((m) => JSON.parse(m.value as string) as EventEnvelope<FraudDecisionV1>)
        .filter((e) => e.data.transactionId === heldId || e.data.transactionId === secondHeldId)
        .map((e) => [e.data.transactionId, e.data.decision, e.data.reason ?? null]);
      expect(decisions).toEqual(
        expect.arrayContaining([
          [heldId, 'review', null],
          [heldId, 'approve', 'customer confirmed by phone'],
          [secondHeldId, 'review', null],
          [secondHeldId, 'reject', 'card testing pattern'],
        ]),
      );
      expect(decisions).toHaveLength(4);
      const ledgerEvents = (await readTopic(kafka, Topics.ledgerEvents))
        .map((m) => JSON.parse(m.value as string) as EventEnvelope<TransactionEventData>)
        .filter((e) => e.data?.transactionId === heldId || e.data?.transactionId === secondHeldId)
        .map((e) => `${e.type}:${e.data.transactionId === heldId ? 'approved' : 'rejected'}`);
      expect(ledgerEvents.sort()).toEqual([
        'transaction.pending:approved',
        'transaction.pending:rejected',
        'transaction.posted:approved',
        'transaction.voided:rejected',
      ]);
    });

    it('a redelivered pending event is not scored twice', async () => {
      const pending = (await readTopic(kafka, Topics.ledgerEvents)).find((m) => {
        const e = JSON.parse(m.value as string) as EventEnvelope<TransactionEventData>;
        return e.type === 'transaction.pending' && e.data.transactionId === heldId;
      });
      expect(pending).toBeDefined();
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: Topics.ledgerEvents, messages: [{ key: pending!.key, value: pending!.value, headers: pending!.headers }] });
      await producer.disconnect();
      await waitForConsumerGroups(kafka, ['fraud.scoring'], Topics.ledgerEvents);

      const [scores] = await db.query(`SELECT count(*)::int AS n FROM fraud.scores WHERE transaction_id = $1`, [heldId]);
      // Recognised by the inbox as seen, not failed and dead-lettered.
      const eventId = (JSON.parse(pending!.value as string) as EventEnvelope).id;
      const dead = (await readTopic(kafka, `${Topics.ledgerEvents}.dlq`)).filter((m) => (m.value ?? '').includes(eventId));
      expect(dead).toEqual([]);
      expect(scores.n).toBe(1);
      const decisions = (await readTopic(kafka, Topics.fraudDecisions)).filter(
        (m) => (JSON.parse(m.value as string) as EventEnvelope<FraudDecisionV1>).data.transactionId === heldId,
      );
      expect(decisions).toHaveLength(2);
      expect((await admin.get(`/v1/admin/transactions/${heldId}`)).body.transaction).toMatchObject({ status: 'completed', fraudScore: 60 });
    });

    it('statistics count the scores, flags, histogram and review outcomes', async () => {
      const stats = await admin.get('/v1/admin/fraud/stats');
      expect(stats.status).toBe(200);
      expect(stats.body.scored).toBeGreaterThanOrEqual(9);
      expect(stats.body.flags.HIGH_VALUE).toBeGreaterThanOrEqual(2);
      expect(stats.body.flags.UNUSUAL_AMOUNT).toBeGreaterThanOrEqual(2);
      expect(stats.body.reviews.approved).toBeGreaterThanOrEqual(1);
      expect(stats.body.reviews.rejected).toBeGreaterThanOrEqual(1);
      expect(stats.body.scoreHistogram).toHaveLength(10);
      expect(stats.body.scoreHistogram.find((b: { range: string }) => b.range === '60-69').count).toBeGreaterThanOrEqual(2);
      expect(stats.body.scoreHistogram.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(stats.body.scored);
    });
  });

  it('four eyes: an admin cannot approve or reject the review of their own purchase (403 OWN_TRANSACTION); another admin can', async () => {
    const dee = await signUpUser(api, 'fraud-admin-payer');
    const { secret } = await enrolTotp(dee);
    expect((await admin.post(`/v1/admin/users/${dee.userId}/roles`, { roles: ['user', 'admin'] }, null)).status).toBe(200);
    const deeAdmin = await signInWithTotp(api, dee, secret);
    const walletId = await fundedWallet(deeAdmin, '5000.00');
    for (const [i, amount] of ['10.00', '11.00', '12.00', '13.00', '14.00', '15.00'].entries()) {
      await scored(deeAdmin, await pay(deeAdmin, walletId, amount, `Kiosk ${i}`), 'completed');
    }
    const held = await scored(deeAdmin, await pay(deeAdmin, walletId, '2200.00', 'Watch Boutique'), 'pending');
    expect(held.fraudScore).toBe(60);

    for (const verb of ['approve', 'reject']) {
      const own = await deeAdmin.post(`/v1/admin/fraud/reviews/${held.id}/${verb}`, { reason: 'it is mine, all fine' });
      expect(own.status).toBe(403);
      expect(own.body).toMatchObject({ error: 'FORBIDDEN', details: { reason: 'OWN_TRANSACTION' } });
    }
    const queue = (await admin.get('/v1/admin/fraud/reviews?limit=100')).body.items;
    expect(queue.find((c: { transactionId: string }) => c.transactionId === held.id)).toMatchObject({ status: 'open' });
    // Another admin decides it; the hold is posted.
    const approved = await admin.post(`/v1/admin/fraud/reviews/${held.id}/approve`, { reason: 'confirmed with the colleague' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ transactionId: held.id, decision: 'approve', decidedBy: adminId });
    expect(await scored(deeAdmin, { status: 202, body: { id: held.id } } as ApiResponse, 'completed')).toMatchObject({ fraudScore: 60 });
  });

  describe('rules are data', () => {
    it('lists the six seed rules and lets an admin change a weight and parameters; bad parameters are 400', async () => {
      const rules = await admin.get('/v1/admin/fraud/rules');
      expect(rules.status).toBe(200);
      expect(rules.body.items.map((r: { code: string }) => r.code).sort()).toEqual(
        ['high_value', 'high_velocity', 'off_hours', 'possible_duplicate', 'suspicious_velocity', 'unusual_amount'].sort(),
      );
      expect(rules.body.items.find((r: { code: string }) => r.code === 'possible_duplicate')).toMatchObject({ weight: 0, flag: 'POSSIBLE_DUPLICATE' });

      const bad = await admin.request<any>('PATCH', '/v1/admin/fraud/rules/high_velocity', { parameters: { maxCount: -1 } });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('VALIDATION_FAILED');
      expect((await admin.request<any>('PATCH', '/v1/admin/fraud/rules/no_such_rule', { weight: 5 })).status).toBe(404);

      // Duplicates made to count: two identical purchases score 30 on the second.
      const changed = await admin.request<any>('PATCH', '/v1/admin/fraud/rules/possible_duplicate', { weight: 30, parameters: { windowMinutes: 5 } });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ code: 'possible_duplicate', weight: 30, updatedBy: adminId });
      try {
        const cat = await signUp(api, 'fraud-dup');
        const walletId = await fundedWallet(cat, '100.00');
        expect(await scored(cat, await pay(cat, walletId, '9.99', 'Same Shop'), 'completed')).toMatchObject({ fraudScore: 0 });
        expect(await scored(cat, await pay(cat, walletId, '9.99', 'Same Shop'), 'completed')).toMatchObject({
          fraudScore: 30,
          fraudFlags: ['POSSIBLE_DUPLICATE'],
        });
      } finally {
        expect((await admin.request<any>('PATCH', '/v1/admin/fraud/rules/possible_duplicate', { weight: 0 })).status).toBe(200);
      }
    });
  });
});
