import { randomUUID } from 'node:crypto';
import { ApiClient, waitFor } from '@tally/testing';
import { signUp, signUpMerchant } from './sign-up';
import { signatureVerifies, WebhookReceiver } from './webhook-receiver';
import { GATEWAY_URL } from '../stack-env';

/**
 * Notification preferences, in-app notifications and webhooks over HTTP, through the gateway, the
 * ledger and notification (which projects ledger.events), with webhook receivers on 127.0.0.1.
 */
describe('notifications, preferences and webhooks', () => {
  const api = new ApiClient(GATEWAY_URL);
  const receivers: WebhookReceiver[] = [];

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
  });

  async function receiver(): Promise<{ receiver: WebhookReceiver; url: string }> {
    const r = new WebhookReceiver();
    receivers.push(r);
    return { receiver: r, url: await r.start() };
  }

  async function wallet(user: ApiClient): Promise<{ id: string; walletNumber: string }> {
    const res = await user.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect(res.status).toBe(201);
    return res.body;
  }

  const put = (user: ApiClient, body: unknown) => user.request<any>('PUT', '/v1/me/notification-preferences', body);

  it('answers defaults for every event type, stores changes, and refuses unknown types and bad values', async () => {
    const ann = await signUp(api, 'prefs');
    const defaults = await ann.get('/v1/me/notification-preferences');
    expect(defaults.status).toBe(200);
    expect(Object.keys(defaults.body.events).sort()).toEqual(
      [
        'balance.low',
        'budget.threshold',
        'goal.milestone',
        'limit.reached',
        'refund.completed',
        'security.account_locked',
        'security.login_new_device',
        'transaction.completed',
        'transaction.pending_review',
        'transaction.voided',
      ].sort(),
    );
    expect(defaults.body.events['transaction.completed']).toEqual({ inApp: true, email: false, webhook: true });
    expect(defaults.body.events['security.account_locked']).toEqual({ inApp: true, email: true, webhook: true });
    expect(defaults.body.thresholds).toEqual({ lowBalance: {} });

    const changed = await put(ann, { events: { 'transaction.completed': { email: true }, 'goal.milestone': { inApp: false } } });
    expect(changed.status).toBe(200);
    expect(changed.body.events['transaction.completed']).toEqual({ inApp: true, email: true, webhook: true });
    expect(changed.body.events['goal.milestone']).toEqual({ inApp: false, email: false, webhook: true });
    // A second PUT changes only what it names.
    await put(ann, { events: { 'transaction.completed': { webhook: false } } });
    expect((await ann.get('/v1/me/notification-preferences')).body.events['transaction.completed']).toEqual({ inApp: true, email: true, webhook: false });

    const unknownType = await put(ann, { events: { 'transaction.exploded': { inApp: true } } });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body).toMatchObject({ error: 'VALIDATION_FAILED', path: '/v1/me/notification-preferences' });
    expect(JSON.stringify(unknownType.body.details)).toContain('events.transaction.exploded');
    expect((await put(ann, { events: { 'balance.low': { sms: true } } })).status).toBe(400);
    expect((await put(ann, { events: { 'balance.low': { inApp: 'yes' } } })).status).toBe(400);
    expect((await put(ann, { events: 'all' })).status).toBe(400);
    expect((await put(ann, { colour: 'blue' })).status).toBe(400);
    expect((await put(ann, { thresholds: { lowBalance: { 'not-a-wallet': '5.00' } } })).status).toBe(400);
    // Nothing of a refused PUT was kept.
    expect((await ann.get('/v1/me/notification-preferences')).body.events['balance.low']).toEqual({ inApp: true, email: false, webhook: true });

    // Thresholds: the caller's own wallet (once notification has seen it open), an amount in its currency.
    const own = await wallet(ann);
    const set = await waitFor(
      async () => {
        const res = await put(ann, { thresholds: { lowBalance: { [own.id]: '25.50' } } });
        return res.status === 200 ? res : undefined;
      },
      { what: 'the wallet to be known to notification' },
    );
    expect(set.body.thresholds.lowBalance).toEqual({ [own.id]: '25.50' });
    const badAmount = await put(ann, { thresholds: { lowBalance: { [own.id]: '1.234' } } });
    expect(badAmount.status).toBe(400);
    expect(badAmount.body.error).toBe('INVALID_AMOUNT');
    const bob = await signUp(api, 'prefs-other');
    const notMine = await put(bob, { thresholds: { lowBalance: { [own.id]: '10.00' } } });
    expect(notMine.status).toBe(404);
    expect(notMine.body.error).toBe('NOT_FOUND');
    expect((await ann.get('/v1/me/notification-preferences')).body.thresholds.lowBalance).toEqual({ [own.id]: '25.50' });
  });

  it('delivers a signed webhook whose signature verifies with the secret shown once, and honours in-app preferences', async () => {
    const ann = await signUp(api, 'hook');
    const { receiver: hook, url } = await receiver();
    const created = await ann.post('/v1/me/webhooks', { url, events: ['transaction.completed'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url, events: ['transaction.completed'] });
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_/);
    // Shown once: never in a list or a read.
    expect((await ann.get(`/v1/me/webhooks/${created.body.id}`)).body.secret).toBeUndefined();
    const listed = await ann.get('/v1/me/webhooks');
    expect(listed.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(listed.body.items[0]).toEqual({ id: created.body.id, url, events: ['transaction.completed'], createdAt: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    // In-app off for completed transactions: the webhook still gets it, the inbox does not.
    expect((await put(ann, { events: { 'transaction.completed': { inApp: false } } })).status).toBe(200);
    const w = await wallet(ann);
    const deposit = await ann.post(`/v1/wallets/${w.id}/deposits`, { amount: '12.34' });
    expect(deposit.status).toBe(201);

    const delivery = await waitFor(async () => hook.received[0], { what: 'the webhook delivery' });
    expect(signatureVerifies(secret, delivery.body, delivery.headers['x-tally-signature'])).toBe(true);
    expect(signatureVerifies('whsec_wrong', delivery.body, delivery.headers['x-tally-signature'])).toBe(false);
    const payload = JSON.parse(delivery.body);
    expect(payload).toMatchObject({
      type: 'transaction.completed',
      title: 'Deposit received',
      data: { transactionId: deposit.body.id, amount: '12.34', currency: 'USD' },
    });
    expect(delivery.headers['x-tally-event']).toBe('transaction.completed');
    expect(delivery.headers['x-tally-event-id']).toBe(payload.id);
    expect((await ann.get('/v1/me/notifications')).body.items.filter((n: { type: string }) => n.type === 'transaction.completed')).toEqual([]);

    // In-app back on: the next deposit shows in the inbox, with api-v1's fields.
    expect((await put(ann, { events: { 'transaction.completed': { inApp: true } } })).status).toBe(200);
    const second = await ann.post(`/v1/wallets/${w.id}/deposits`, { amount: '1.00' });
    const inbox = await waitFor(
      async () => {
        const res = await ann.get('/v1/me/notifications?unread=true');
        return res.body.total > 0 ? res.body : undefined;
      },
      { what: 'the in-app notification' },
    );
    expect(inbox).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(inbox.items[0]).toEqual({
      id: expect.any(String),
      type: 'transaction.completed',
      title: 'Deposit received',
      body: '1.00 USD was added to your wallet.',
      data: { transactionId: second.body.id, reference: expect.any(String), amount: '1.00', currency: 'USD' },
      createdAt: expect.any(String),
      readAt: null,
    });
    await waitFor(async () => (hook.received.length >= 2 ? true : undefined), { what: 'the second delivery' });
    expect(JSON.parse(hook.received[1].body).id).toBe(inbox.items[0].id);

    expect((await ann.post(`/v1/me/notifications/${inbox.items[0].id}/read`, {})).status).toBe(204);
    expect((await ann.get('/v1/me/notifications?unread=true')).body.total).toBe(0);
    expect((await ann.get('/v1/me/notifications?sortBy=createdAt&sortOrder=asc&limit=1')).body.items[0].readAt).toEqual(expect.any(String));
    expect((await ann.get('/v1/me/notifications?sortOrder=sideways')).status).toBe(400);

    const deliveries = await ann.get(`/v1/me/webhooks/${created.body.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.total).toBe(2);
    expect(deliveries.body.items[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      eventType: 'transaction.completed',
      nextAttemptAt: null,
    });
    const oldestFirst = await ann.get(`/v1/me/webhooks/${created.body.id}/deliveries?sortBy=createdAt&sortOrder=asc&limit=1`);
    expect(oldestFirst.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(oldestFirst.body.items[0].eventId).toBe(payload.id);
    expect((await ann.get(`/v1/me/webhooks?sortBy=url`)).status).toBe(400);
  });

  it('retries a delivery the receiver refused, with backoff, and delivers it once', async () => {
    const ann = await signUp(api, 'retry');
    const { receiver: hook, url } = await receiver();
    // Fails the first two attempts, then takes it.
    hook.respond = ({ index }) => (index < 2 ? 503 : 204);
    const created = await ann.post('/v1/me/webhooks', { url, events: ['transaction.completed', 'refund.completed'] });
    expect(created.status).toBe(201);
    const w = await wallet(ann);
    expect((await ann.post(`/v1/wallets/${w.id}/deposits`, { amount: '5.00' })).status).toBe(201);

    const done = await waitFor(
      async () => {
        const res = await ann.get(`/v1/me/webhooks/${created.body.id}/deliveries`);
        return res.body.items[0]?.status === 'delivered' ? res.body.items[0] : undefined;
      },
      { what: 'the delivery to succeed after retries', timeoutMs: 20_000 },
    );
    expect(done).toMatchObject({ attempts: 3, lastStatus: 204, lastError: null });
    expect(hook.received.map((r) => r.answered)).toEqual([503, 503, 204]);
    // Every attempt is the same delivery of the same event, each freshly signed.
    expect(new Set(hook.received.map((r) => r.headers['x-tally-delivery'])).size).toBe(1);
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
    for (const r of hook.received) expect(signatureVerifies(created.body.secret, r.body, r.headers['x-tally-signature'])).toBe(true);
    // Nothing more arrives once delivered.
    await new Promise((r) => setTimeout(r, 1000));
    expect(hook.received).toHaveLength(3);
  });

  it('refuses unsafe URLs and unknown events, and replays a creation by its Idempotency-Key', async () => {
    const ann = await signUp(api, 'hook-rules');
    for (const url of [
      'http://hooks.example.com/x',
      'https://user:secret@hooks.example.com/x',
      'https://10.0.0.8/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://printer.local/x',
      'not a url',
    ]) {
      const res = await ann.post('/v1/me/webhooks', { url, events: ['balance.low'] });
      expect({ url, status: res.status, error: res.body.error }).toEqual({ url, status: 400, error: 'VALIDATION_FAILED' });
    }
    expect((await ann.post('/v1/me/webhooks', { url: 'https://hooks.example.com/x', events: ['balance.exploded'] })).status).toBe(400);
    expect((await ann.post('/v1/me/webhooks', { url: 'https://hooks.example.com/x', events: [] })).status).toBe(400);
    expect((await ann.post('/v1/me/webhooks', { url: 'https://hooks.example.com/x', events: ['balance.low'] }, null)).status).toBe(400);

    const key = randomUUID();
    const first = await ann.post('/v1/me/webhooks', { url: 'https://hooks.example.com/x', events: ['balance.low'] }, key);
    expect(first.status).toBe(201);
    const again = await ann.post('/v1/me/webhooks', { url: 'https://hooks.example.com/x', events: ['balance.low'] }, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const reused = await ann.post('/v1/me/webhooks', { url: 'https://hooks.example.com/y', events: ['balance.low'] }, key);
    expect(reused.status).toBe(409);
    expect(reused.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await ann.get('/v1/me/webhooks')).body.total).toBe(1);
  });

  it("keeps each user's webhooks, deliveries and notifications to themselves (404 for anyone else)", async () => {
    const ann = await signUp(api, 'owner');
    const bob = await signUp(api, 'intruder');
    const { url } = await receiver();
    const hook = await ann.post('/v1/me/webhooks', { url, events: ['transaction.completed'] });
    expect(hook.status).toBe(201);
    const w = await wallet(ann);
    expect((await ann.post(`/v1/wallets/${w.id}/deposits`, { amount: '3.00' })).status).toBe(201);
    const note = await waitFor(async () => (await ann.get('/v1/me/notifications')).body.items[0], { what: "ann's notification" });

    for (const res of [
      await bob.get(`/v1/me/webhooks/${hook.body.id}`),
      await bob.get(`/v1/me/webhooks/${hook.body.id}/deliveries`),
      await bob.request('DELETE', `/v1/me/webhooks/${hook.body.id}`),
      await bob.post(`/v1/me/notifications/${note.id}/read`, {}),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('NOT_FOUND');
    }
    expect((await bob.get('/v1/me/webhooks')).body).toMatchObject({ items: [], total: 0 });
    expect((await bob.get('/v1/me/notifications')).body.items.map((n: { id: string }) => n.id)).not.toContain(note.id);
    // Still there and unread for its owner; then the owner deletes it.
    expect((await ann.get(`/v1/me/webhooks/${hook.body.id}`)).status).toBe(200);
    expect((await ann.get('/v1/me/notifications?unread=true')).body.items.map((n: { id: string }) => n.id)).toContain(note.id);
    expect((await ann.request('DELETE', `/v1/me/webhooks/${hook.body.id}`)).status).toBe(204);
    expect((await ann.get(`/v1/me/webhooks/${hook.body.id}`)).status).toBe(404);
    expect((await ann.request('DELETE', `/v1/me/webhooks/${hook.body.id}`)).status).toBe(404);
  });

  it('warns once when a payment takes a wallet below its low-balance threshold, and notifies a refund', async () => {
    const ann = await signUp(api, 'low');
    const w = await wallet(ann);
    expect((await ann.post(`/v1/wallets/${w.id}/deposits`, { amount: '100.00' })).status).toBe(201);
    await waitFor(async () => ((await put(ann, { thresholds: { lowBalance: { [w.id]: '50.00' } } })).status === 200 ? true : undefined), {
      what: 'the threshold to be accepted',
    });
    const pay = async (amount: string) => {
      const res = await ann.post('/v1/payments', { walletId: w.id, amount, merchantName: 'Corner Shop', merchantCategory: 'groceries', pin: '2580' });
      expect([201, 202]).toContain(res.status);
      await waitFor(async () => ((await ann.get(`/v1/transactions/${res.body.id}`)).body.status === 'completed' ? true : undefined), {
        what: 'the payment to complete',
      });
      return res.body.id as string;
    };
    await pay('30.00'); // 70.00 left: above the threshold
    const purchase = await pay('30.00'); // 40.00 left: crosses below 50.00
    await pay('5.00'); // 35.00 left: still below, no second warning
    const shop = await signUpMerchant(api, 'corner-shop');
    expect((await shop.post(`/v1/transactions/${purchase}/refunds`, { amount: '2.00' })).status).toBe(201);

    const inbox = await waitFor(
      async () => {
        const res = await ann.get('/v1/me/notifications?limit=100');
        return res.body.items.some((n: { type: string }) => n.type === 'refund.completed') ? res.body.items : undefined;
      },
      { what: 'the refund notification' },
    );
    const low = inbox.filter((n: { type: string }) => n.type === 'balance.low');
    expect(low).toHaveLength(1);
    expect(low[0].data).toEqual({ walletId: w.id, available: '40.00', threshold: '50.00', currency: 'USD' });
    expect(inbox.filter((n: { type: string }) => n.type === 'transaction.completed')).toHaveLength(4);
    expect(inbox.find((n: { type: string }) => n.type === 'refund.completed').data).toMatchObject({ amount: '2.00', originalTransactionId: purchase });
  });

  it('tells the owner when a limit refuses a debit (limit.reached from the ledger), and the refusal moves nothing', async () => {
    const lee = await signUp(api, 'limit');
    const res = await lee.post('/v1/wallets', { currency: 'USD', pin: '2580', dailyLimit: '20' });
    expect(res.status).toBe(201);
    const w = res.body;
    expect((await lee.post(`/v1/wallets/${w.id}/deposits`, { amount: '100.00' })).status).toBe(201);
    const refused = await lee.post('/v1/payments', {
      walletId: w.id,
      amount: '25.00',
      merchantName: 'Corner Shop',
      merchantCategory: 'groceries',
      pin: '2580',
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'LIMIT_EXCEEDED', details: { limit: 'daily' } });

    const reached = await waitFor(
      async () => {
        const items = (await lee.get('/v1/me/notifications?limit=100')).body.items as { type: string; body: string; data: unknown }[];
        return items.find((n) => n.type === 'limit.reached');
      },
      { what: 'the limit.reached notification' },
    );
    expect(reached.body).toBe('A payment of 25.00 USD was refused: it would pass your daily limit of 20.00 USD.');
    expect(reached.data).toEqual({ walletId: w.id, limit: 'daily' });
    expect((await lee.get(`/v1/wallets/${w.id}/balance`)).body).toMatchObject({ balance: '100.00', available: '100.00', dailySpent: '0.00' });
    expect((await lee.get(`/v1/transactions?walletId=${w.id}`)).body.total).toBe(1);
  });
});
