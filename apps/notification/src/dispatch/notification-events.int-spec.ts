import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  allTopics,
  BudgetThresholdV1,
  EmailTokenIssuedV2,
  emailTokenSealContext,
  EventContract,
  FraudDecisionV1,
  GoalMilestoneV1,
  SecurityEventV1,
  TransactionEventData,
  TransactionPendingV1,
  TransactionPostedV1,
  uuidv7,
  WalletLimitReachedV1,
  WalletOpenedV1,
} from '@tally/contracts';
import { createPublicKey } from 'node:crypto';
import { sealFor, x25519PrivateKey } from '@tally/auth';
import { openServiceDatabase } from '@tally/database';
import { createProducer, EventConsumer, ensureTopics } from '@tally/messaging';
import { recreateDatabase, waitFor, testDatabaseUrl, testKafkaClient } from '@tally/testing';
import { NOTIFICATION_MIGRATIONS } from '../app.module';
import { WalletBalancesRepository } from '../balances/wallet-balances.repository';
import { loadNotificationConfig } from '../config/notification.config';
import { EmailOutbox } from '../email/email-outbox';
import { NotificationsRepository } from '../inbox/notifications.repository';
import { PreferencesRepository } from '../preferences/preferences.repository';
import { PreferencesService } from '../preferences/preferences.service';
import { WebhookDeliveryWorker } from '../webhooks/webhook-delivery.worker';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { WebhooksService } from '../webhooks/webhooks.service';
import { EventNotificationsService } from './event-notifications.service';
import { notificationSubscriptions } from './notification-events.consumer';
import { Notifier } from './notifier';
import { ReviewWatchRepository } from './review-watch.repository';
import { UserContactsRepository } from './user-contacts.repository';

const URL = process.env.TEST_NOTIFICATION_DATABASE_URL ?? testDatabaseUrl('notif_int');

/**
 * Notification's event side against the real broker and Postgres: events published to Kafka (some
 * twice, as a redelivery), consumed by the idempotent consumer with notification's subscriptions,
 * and webhook deliveries sent by the worker to a receiver on 127.0.0.1.
 */
describe('notification events, redelivery and webhook deliveries', () => {
  const logger = new Logger('notification-int-spec');
  const kafka = testKafkaClient('notification-int-spec');
  const producer = createProducer(kafka);
  const config = loadNotificationConfig({
    DATABASE_URL: URL,
    WEBHOOK_DEV_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_BASE_MS: '20',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_TIMEOUT_MS: '2000',
  });
  let db: DataSource;
  let consumer: EventConsumer;
  let webhooks: WebhooksService;
  let preferences: PreferencesService;
  let workers: WebhookDeliveryWorker[];
  let server: Server;
  let receiverUrl: string;
  const received: { delivery: string; body: string; path: string }[] = [];
  /** Paths the receiver refuses (500). */
  const refusing = new Set<string>();
  /** One partition key for every message of a test: they are consumed in the order sent. */
  const key = uuidv7();

  async function publish<T>(contract: EventContract<T>, data: T, id = uuidv7()): Promise<string> {
    const envelope = { id, type: contract.type, version: contract.version, source: 'int-spec', subject: key, occurredAt: new Date().toISOString(), data };
    await producer.send({ topic: contract.topic, messages: [{ key, value: JSON.stringify(envelope) }] });
    return id;
  }

  function deposit(userId: string, walletId: string, amountMinor: string): TransactionEventData {
    return {
      transactionId: uuidv7(),
      reference: `TX-${amountMinor}`,
      type: 'deposit',
      status: 'completed',
      walletId,
      userId,
      amountMinor,
      feeMinor: '0',
      currency: 'USD',
      createdAt: new Date().toISOString(),
    };
  }

  const count = async (sql: string, params: unknown[]): Promise<number> => (await db.query(sql, params))[0].n;
  const notificationsOf = (userId: string, type: string) =>
    count(`SELECT count(*)::int AS n FROM notification.notifications WHERE user_id = $1 AND type = $2`, [userId, type]);

  /** Identity's verification email, its token sealed to notification's (dev) key as identity seals it. */
  function tokenIssued(userId: string, email: string, fullName: string): EmailTokenIssuedV2 {
    const sealedToken = sealFor(
      createPublicKey(x25519PrivateKey(config.email.linkPrivateKey)),
      't0k3n',
      emailTokenSealContext({ userId, purpose: 'verify_email' }),
    );
    return { userId, email, fullName, purpose: 'verify_email', sealedToken, expiresAt: new Date().toISOString() };
  }

  async function deliverAll(): Promise<void> {
    // Both "replicas" at once: SKIP LOCKED and the lease keep them off each other's rows.
    await waitFor(
      async () => {
        await Promise.all(workers.map((w) => w.runOnce()));
        const pending = await count(`SELECT count(*)::int AS n FROM notification.webhook_deliveries WHERE status = 'pending'`, []);
        return pending === 0 ? true : undefined;
      },
      { what: 'every delivery to be sent or given up', intervalMs: 30 },
    );
  }

  beforeAll(async () => {
    await recreateDatabase(URL);
    db = await openServiceDatabase({ url: URL, schema: 'notification', applicationName: 'notification-int-spec', migrations: NOTIFICATION_MIGRATIONS });
    const notificationsRepo = new NotificationsRepository(db);
    const preferencesRepo = new PreferencesRepository(db);
    const webhooksRepo = new WebhooksRepository(db);
    const balances = new WalletBalancesRepository(db);
    const contacts = new UserContactsRepository();
    const notifier = new Notifier(preferencesRepo, notificationsRepo, webhooksRepo, contacts, new EmailOutbox());
    const events = new EventNotificationsService(notifier, balances, new ReviewWatchRepository(), contacts, new EmailOutbox(), config);
    webhooks = new WebhooksService(webhooksRepo, config);
    preferences = new PreferencesService(db, preferencesRepo, balances);
    workers = [new WebhookDeliveryWorker(webhooksRepo, config), new WebhookDeliveryWorker(webhooksRepo, config)];

    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ delivery: String(req.headers['x-tally-delivery']), body, path: req.url ?? '' });
        res.writeHead(refusing.has(req.url ?? '') ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    await ensureTopics(kafka, allTopics());
    await producer.connect();
    consumer = new EventConsumer({
      kafka,
      groupId: `notification-int-spec-${uuidv7()}`,
      dataSource: db,
      schema: 'notification',
      producer,
      logger,
      maxAttempts: 3,
      baseDelayMs: 10,
      subscriptions: notificationSubscriptions(events),
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer.disconnect();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await db?.destroy();
  });

  it('notifies, emails and delivers a redelivered event once', async () => {
    const user: Actor = { userId: uuidv7(), roles: ['user'] };
    const walletId = uuidv7();
    await webhooks.create(user, { url: `${receiverUrl}/once`, events: ['transaction.completed'] }, 'hook-once');
    await preferences.put(user, { events: { 'transaction.completed': { email: true } } });
    // Identity's verification email at sign-up tells notification where this user's email goes.
    await publish(EmailTokenIssuedV2, tokenIssued(user.userId, 'ann@example.com', 'Ann'));
    // identity.events and ledger.events are two topics with no order between them: wait for the address.
    await waitFor(
      async () => ((await count(`SELECT count(*)::int AS n FROM notification.user_addresses WHERE user_id = $1`, [user.userId])) === 1 ? true : undefined),
      {
        what: 'the address to be known',
      },
    );
    await publish(WalletOpenedV1, { walletId, walletNumber: 'W-1', userId: user.userId, currency: 'USD' });
    const first = deposit(user.userId, walletId, '1000');
    const eventId = await publish(TransactionPostedV1, first);
    // The same event again (a redelivery after a lost commit, or a producer retry), then once more.
    await publish(TransactionPostedV1, first, eventId);
    await publish(TransactionPostedV1, first, eventId);
    // A later event on the same partition: once it is handled, the copies before it were too.
    await publish(TransactionPostedV1, deposit(user.userId, walletId, '1'));
    await waitFor(async () => ((await notificationsOf(user.userId, 'transaction.completed')) === 2 ? true : undefined), {
      what: 'both deposits to be notified',
    });
    await deliverAll();

    expect(await notificationsOf(user.userId, 'transaction.completed')).toBe(2);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM notification.emails WHERE user_id = $1 AND to_address = 'ann@example.com' AND template = 'transaction.completed'`,
        [user.userId],
      ),
    ).toBe(2);
    const mine = received.filter((r) => r.path === '/once');
    expect(mine).toHaveLength(2);
    expect(mine.filter((r) => JSON.parse(r.body).data.transactionId === first.transactionId)).toHaveLength(1);
    expect(await count(`SELECT count(*)::int AS n FROM notification.inbox WHERE event_id = $1`, [eventId])).toBe(1);
  });

  it('notifies a transaction held for review once, whichever of its two events comes first, and not an approved one', async () => {
    const user = uuidv7();
    const held = (): TransactionEventData => ({ ...deposit(user, uuidv7(), '99900'), type: 'transfer_out', status: 'pending' });
    const a = held();
    await publish(TransactionPendingV1, a);
    await publish(FraudDecisionV1, { transactionId: a.transactionId, decision: 'review', score: 70, flags: ['HIGH_VALUE'] });
    const b = held();
    await publish(FraudDecisionV1, { transactionId: b.transactionId, decision: 'review', score: 70, flags: ['HIGH_VALUE'] });
    await publish(TransactionPendingV1, b);
    const approved = held();
    await publish(TransactionPendingV1, approved);
    await publish(FraudDecisionV1, { transactionId: approved.transactionId, decision: 'approve', score: 0, flags: [] });
    // A fourth, in review, after the approval on the same partition: the sync point.
    const last = held();
    await publish(FraudDecisionV1, { transactionId: last.transactionId, decision: 'review', score: 70, flags: [] });
    await publish(TransactionPendingV1, last);

    const reviewed = await waitFor(
      async () => {
        const rows: { tx: string }[] = await db.query(
          `SELECT data->>'transactionId' AS tx FROM notification.notifications WHERE user_id = $1 AND type = 'transaction.pending_review'`,
          [user],
        );
        return rows.some((r) => r.tx === last.transactionId) && rows.some((r) => r.tx === a.transactionId) ? rows : undefined;
      },
      { what: 'the review notifications' },
    );
    expect(reviewed.map((r) => r.tx).sort()).toEqual([a.transactionId, b.transactionId, last.transactionId].sort());
  });

  it('tells a sign-in from a new device (not the first one) and a locked account, by in-app and email', async () => {
    const user = uuidv7();
    const login = (userAgent: string) => publish(SecurityEventV1, { userId: user, kind: 'login_succeeded', ip: '203.0.113.9', userAgent });
    await publish(EmailTokenIssuedV2, tokenIssued(user, 'sec@example.com', 'Sec'));
    await login('Firefox on Linux'); // the first device: nothing to warn about
    await login('Firefox on Linux');
    await login('Safari on iPhone'); // new
    await login('Safari on iPhone');
    await publish(SecurityEventV1, { userId: user, kind: 'login_failed', ip: '203.0.113.9', userAgent: 'curl' });
    await publish(SecurityEventV1, { userId: user, kind: 'account_locked', ip: '203.0.113.9', userAgent: 'curl' });
    await waitFor(async () => ((await notificationsOf(user, 'security.account_locked')) === 1 ? true : undefined), { what: 'the lock notice' });
    expect(await notificationsOf(user, 'security.login_new_device')).toBe(1);
    const rows: { body: string; data: Record<string, unknown> }[] = await db.query(
      `SELECT body, data FROM notification.notifications WHERE user_id = $1 AND type = 'security.login_new_device'`,
      [user],
    );
    expect(rows[0].body).toContain('Safari on iPhone');
    expect(JSON.stringify(rows[0])).not.toContain('203.0.113.9');
    // Security notices email by default; the verification email went out once too.
    const emails = (template: string) =>
      count(`SELECT count(*)::int AS n FROM notification.emails WHERE user_id = $1 AND to_address = 'sec@example.com' AND template = $2`, [user, template]);
    expect(await emails('security.login_new_device')).toBe(1);
    expect(await emails('security.account_locked')).toBe(1);
    expect(await emails('verify_email')).toBe(1);
  });

  it("routes limit, budget and goal events through the user's preferences", async () => {
    const user: Actor = { userId: uuidv7(), roles: ['user'] };
    const hook = await webhooks.create(user, { url: `${receiverUrl}/goals`, events: ['goal.milestone'] }, 'hook-goals');
    await preferences.put(user, { events: { 'goal.milestone': { inApp: false } } });
    const walletId = uuidv7();
    await publish(WalletLimitReachedV1, {
      userId: user.userId,
      walletId,
      limit: 'daily',
      limitMinor: '100000',
      currency: 'USD',
      attemptedMinor: '2500',
      occurredAt: new Date().toISOString(),
    });
    await publish(BudgetThresholdV1, {
      budgetId: uuidv7(),
      userId: user.userId,
      category: 'groceries',
      currency: 'USD',
      threshold: 80,
      amountMinor: '50000',
      spentMinor: '40100',
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
    });
    await publish(GoalMilestoneV1, {
      goalId: uuidv7(),
      userId: user.userId,
      name: 'Bike',
      currency: 'USD',
      milestone: 50,
      targetAmountMinor: '80000',
      savedAmountMinor: '40000',
      transactionId: uuidv7(),
    });
    await waitFor(async () => ((await webhooks.deliveries(user, hook.id, {})).total === 1 ? true : undefined), { what: 'the goal delivery' });

    const rows: { type: string; body: string }[] = await db.query(`SELECT type, body FROM notification.notifications WHERE user_id = $1 ORDER BY type`, [
      user.userId,
    ]);
    expect(rows).toEqual([
      { type: 'budget.threshold', body: '401.00 USD of your 500.00 USD groceries budget is spent.' },
      { type: 'limit.reached', body: 'A payment of 25.00 USD was refused: it would pass your daily limit of 1000.00 USD.' },
    ]);
    await deliverAll();
    const goal = received.filter((r) => r.path === '/goals').map((r) => JSON.parse(r.body));
    expect(goal).toEqual([expect.objectContaining({ type: 'goal.milestone', title: 'Goal Bike: 50% saved', body: '400.00 USD of 800.00 USD saved.' })]);
  });

  it('warns of a low balance once when a debit posted without a hold crosses the threshold', async () => {
    const user: Actor = { userId: uuidv7(), roles: ['user'] };
    const walletId = uuidv7();
    // The deposit before wallet.opened, as when the two land on different partitions: still exact.
    await publish(TransactionPostedV1, deposit(user.userId, walletId, '10000'));
    await publish(WalletOpenedV1, { walletId, walletNumber: 'W-LOW', userId: user.userId, currency: 'USD' });
    await waitFor(
      async () =>
        (await count(`SELECT count(*)::int AS n FROM notification.wallet_balances WHERE wallet_id = $1 AND complete`, [walletId])) === 1 ? true : undefined,
      { what: 'the wallet to be known' },
    );
    await preferences.put(user, { thresholds: { lowBalance: { [walletId]: '50.00' } } });
    const toGoal = (amountMinor: string): TransactionEventData => ({ ...deposit(user.userId, walletId, amountMinor), type: 'goal_contribution' });
    await publish(TransactionPostedV1, toGoal('4000')); // 60.00 left
    await publish(TransactionPostedV1, toGoal('2000')); // 40.00: below
    await publish(TransactionPostedV1, toGoal('500')); // 35.00: still below
    await publish(TransactionPostedV1, deposit(user.userId, walletId, '2000')); // 55.00: re-armed
    await publish(TransactionPostedV1, toGoal('1000')); // 45.00: below again
    await waitFor(async () => ((await notificationsOf(user.userId, 'transaction.completed')) === 6 ? true : undefined), { what: 'six movements' });
    const low: { data: { available: string } }[] = await db.query(
      `SELECT data FROM notification.notifications WHERE user_id = $1 AND type = 'balance.low' ORDER BY created_at, id`,
      [user.userId],
    );
    expect(low.map((n) => n.data.available)).toEqual(['40.00', '45.00']);
  });

  it('retries a refusing receiver with backoff and gives up after WEBHOOK_MAX_ATTEMPTS', async () => {
    const user: Actor = { userId: uuidv7(), roles: ['user'] };
    refusing.add('/refuse');
    const hook = await webhooks.create(user, { url: `${receiverUrl}/refuse`, events: ['transaction.completed'] }, 'hook-refuse');
    await publish(TransactionPostedV1, deposit(user.userId, uuidv7(), '500'));
    await waitFor(async () => ((await notificationsOf(user.userId, 'transaction.completed')) === 1 ? true : undefined), { what: 'the notification' });
    await deliverAll();
    const page = await webhooks.deliveries(user, hook.id, {});
    expect(page.items).toEqual([expect.objectContaining({ status: 'failed', attempts: 3, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: null })]);
    expect(received.filter((r) => r.path === '/refuse')).toHaveLength(3);
  });

  it('sends each of many due deliveries exactly once with two workers claiming at the same time', async () => {
    const user: Actor = { userId: uuidv7(), roles: ['user'] };
    const walletId = uuidv7();
    await webhooks.create(user, { url: `${receiverUrl}/many`, events: ['transaction.completed'] }, 'hook-many');
    for (let i = 1; i <= 25; i++) await publish(TransactionPostedV1, deposit(user.userId, walletId, String(i)));
    await waitFor(async () => ((await notificationsOf(user.userId, 'transaction.completed')) === 25 ? true : undefined), { what: '25 notifications' });
    await deliverAll();
    const many = received.filter((r) => r.path === '/many');
    expect(many).toHaveLength(25);
    expect(new Set(many.map((r) => r.delivery)).size).toBe(25);
  });
});
