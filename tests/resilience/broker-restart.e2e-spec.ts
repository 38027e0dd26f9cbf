import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventEnvelope, Topics, TransactionEventData, TransactionPostedV1, uuidv7 } from '@tally/contracts';
import { enqueueEvent } from '@tally/messaging';
import { ApiClient, ready, startKafka, stopKafka, waitFor, waitForConsumerGroups, testKafkaClient } from '@tally/testing';
import { GATEWAY_URL, TEST_DATABASE_URL, TEST_KAFKA, TEST_PORTS } from '../stack-env';

const SERVICE_URLS = Object.entries(TEST_PORTS).map(([name, port]) => ({ name, url: `http://127.0.0.1:${port}` }));

/**
 * Stops the broker under load and brings it back: every service reports not ready while it is down
 * and ready again after; deposits retried with their Idempotency-Key land exactly once; an event
 * written to an outbox while the broker is down reaches its consumers once, and a re-sent copy is
 * recognised and skipped.
 */
describe('the stack across a Kafka broker restart', () => {
  const api = new ApiClient(GATEWAY_URL);
  let db: DataSource;
  let kafka: Kafka;

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: TEST_DATABASE_URL }).initialize();
    kafka = testKafkaClient('resilience-test', { kafka: TEST_KAFKA });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('loses nothing and handles nothing twice', async () => {
    const email = `restart-${randomUUID().slice(0, 8)}@example.com`;
    await api.post('/v1/auth/register', { email, password: 'correct horse 7', fullName: 'Restart Tester' }, null);
    const login = await api.post('/v1/auth/login', { email, password: 'correct horse 7' }, null);
    const user = api.as(login.body.accessToken);
    const userId: string = login.body.user.id;
    const wallet = (await user.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body;

    // Deposits that keep going through the outage, each retried with its own key until it succeeds.
    let outageOver = false;
    const keys: string[] = [];
    const depositUntilDone = async (key: string) => {
      for (;;) {
        const res = await user.post(`/v1/wallets/${wallet.id}/deposits`, { amount: '1.00' }, key).catch(() => undefined);
        if (res?.status === 201) return;
        if (res && res.status !== 503) throw new Error(`deposit answered ${res.status}: ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, outageOver ? 200 : 500));
      }
    };
    const load = (async () => {
      const workers = Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 15; i++) {
          const key = randomUUID();
          keys.push(key);
          await depositUntilDone(key);
        }
      });
      await Promise.all(workers);
    })();

    await new Promise((r) => setTimeout(r, 1500));
    stopKafka(TEST_KAFKA);

    // Readiness goes false everywhere while the broker is away.
    for (const { name, url } of SERVICE_URLS) {
      await waitFor(async () => ((await ready(url)) ? undefined : true), { timeoutMs: 20_000, what: `${name} to report not ready` });
    }

    // A state change committed while the broker is down: its event waits in the ledger's outbox.
    const transactionId = uuidv7();
    const offline: TransactionEventData = {
      transactionId,
      reference: `TX-OFFLINE-${transactionId.slice(-6)}`,
      type: 'purchase',
      status: 'completed',
      walletId: wallet.id,
      userId,
      amountMinor: '1234',
      feeMinor: '0',
      currency: 'USD',
      merchantName: 'Corner Shop',
      merchantCategory: 'groceries',
      createdAt: new Date().toISOString(),
    };
    const envelope = await db.transaction((m) => enqueueEvent(m, 'ledger', TransactionPostedV1, { source: 'ledger', subject: wallet.id, data: offline }));
    await new Promise((r) => setTimeout(r, 3000));
    const waiting = await db.query(`SELECT published_at FROM ledger.outbox WHERE id = $1`, [envelope.id]);
    expect(waiting[0].published_at).toBeNull();

    startKafka(TEST_KAFKA);
    outageOver = true;
    for (const { name, url } of SERVICE_URLS) {
      await waitFor(async () => ((await ready(url)) ? true : undefined), { timeoutMs: 60_000, what: `${name} to be ready again` });
    }
    await load;

    // Every deposit exactly once: one transaction per key, and the balance is their sum.
    expect(new Set(keys).size).toBe(60);
    const balance = (await user.get(`/v1/wallets/${wallet.id}/balance`)).body;
    expect(balance.balance).toBe('60.00');
    const deposits = await db.query(`SELECT count(*)::int AS n FROM ledger.transactions WHERE wallet_id = $1 AND type = 'deposit'`, [wallet.id]);
    expect(deposits[0].n).toBe(60);

    // The event written during the outage was published after it, and projected once.
    await waitFor(
      async () => {
        const rows = await db.query(`SELECT published_at FROM ledger.outbox WHERE id = $1`, [envelope.id]);
        return rows[0].published_at ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'the outbox to publish the offline event' },
    );

    // Re-send the same event twice, as a relay that crashed before marking it published would.
    const producer = kafka.producer();
    await producer.connect();
    const copy: EventEnvelope = { ...envelope, data: envelope.data };
    await producer.send({
      topic: Topics.ledgerEvents,
      messages: [
        { key: wallet.id, value: JSON.stringify(copy) },
        { key: wallet.id, value: JSON.stringify(copy) },
      ],
    });
    await producer.disconnect();
    await waitForConsumerGroups(kafka, ['analytics.spending', 'notification.in-app'], Topics.ledgerEvents);

    // Command consumers rejoin their groups a little after readiness returns; a query may meet a 503 meanwhile.
    const spending = await waitFor(
      async () => {
        const res = await user.get('/v1/analytics/spending?groupBy=category&currency=USD');
        return res.status === 200 ? res.body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'analytics to answer again' },
    );
    expect(spending.groups).toEqual([{ key: 'groceries', total: '12.34', count: 1 }]);
    const flows = await db.query(`SELECT count(*)::int AS n FROM analytics.money_flows WHERE user_id = $1 AND direction = 'credit'`, [userId]);
    expect(flows[0].n).toBe(60);
    const notes = await db.query(`SELECT count(*)::int AS n FROM notification.notifications WHERE user_id = $1`, [userId]);
    expect(notes[0].n).toBe(61);
    const handled = await db.query(`SELECT count(*)::int AS n FROM notification.inbox WHERE event_id = $1`, [envelope.id]);
    expect(handled[0].n).toBe(1);
  });
});
