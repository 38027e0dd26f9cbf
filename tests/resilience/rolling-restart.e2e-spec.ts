import { randomUUID } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventEnvelope, Topics, TransactionEventData } from '@tally/contracts';
import {
  ApiClient,
  Drain,
  InstanceName,
  LocalStack,
  ledgerBookProblems,
  readTopic,
  REPO_ROOT,
  serviceOf,
  StackControl,
  waitFor,
  waitForConsumerGroups,
  testKafkaClient,
} from '@tally/testing';
import { logInAdmin } from '../e2e/sign-up';
import { STACK_CONTROL_URL, STACK_ENV, TEST_DATABASE_URL, TEST_KAFKA, TEST_PORTS } from '../stack-env';
import { LoadClient, newLoadClient, SentCommand, untilDefinite, usd } from './money-load';

/** The replicas of a scaled deployment: two of each service that consumes, four gateways (identity stays one). */
const REPLICAS = { gateway: 4, ledger: 2, fraud: 2, analytics: 2, notification: 2 } as const;
/** The rolling update's order: each Deployment in turn, its pods one at a time. */
const ROLLOUT: InstanceName[] = (['gateway', 'ledger', 'fraud', 'analytics', 'notification'] as const).flatMap((service) =>
  Array.from({ length: REPLICAS[service] }, (_, i) => (i === 0 ? service : (`${service}-${i + 1}` as InstanceName))),
);
const CLIENTS = 8;
/** A client stops after this many transfers, or once the rollout is over and it has sent MIN_AFTER more. */
const MAX_PER_CLIENT = 60;
const MIN_AFTER = 2;
const TRANSFER = { text: '1.00', minor: 100n, fee: 50n };
const FUNDING = { text: '100.00', minor: 10_000n };

interface Transfer extends SentCommand {
  client: number;
  /** Where each attempt went. */
  gateways: number[];
}

interface Restart extends Drain {
  readyMs: number;
}

/**
 * A rolling update under load. The stack of the resilience tier runs one instance of each service;
 * this spec adds the replicas (ledger, fraud, analytics and notification two each, four gateways),
 * all on the same database and broker, in the same consumer groups. Clients transfer money through
 * the four gateways (a retry goes to the next one, as a load balancer would) while every instance is
 * stopped with SIGTERM and started again, one at a time. Afterwards: every acknowledged transfer is
 * in the journal once and completed, balances are what the transfers add up to, the books are sound,
 * every event reached ledger.events, a subscriber sees each wallet's events in the order the ledger
 * wrote them (pending before posted, one partition per key), and the projections counted each once.
 */
describe('replicas scaled out and restarted one at a time (SIGTERM) under load', () => {
  const control = new StackControl(STACK_CONTROL_URL);
  const logFile = join(REPO_ROOT, 'tmp', 'test-logs', 'rolling-restart.log');
  writeFileSync(logFile, '');
  const replicas = new LocalStack({
    databaseUrl: TEST_DATABASE_URL,
    kafkaBrokers: TEST_KAFKA.brokers,
    ports: TEST_PORTS,
    replicas: REPLICAS,
    // Info lines too: each replica logs when it starts shutting down and when it has stopped.
    env: { ...STACK_ENV, LOG_LEVEL: 'log' },
    onLine: (_service, line, instance) => appendFileSync(logFile, `[${instance}] ${line}\n`),
  });
  /** The instances this spec runs; the first of each belongs to the tier's stack (StackControl). */
  const added = replicas.instances().filter((i) => i.includes('-'));
  const gateways = [TEST_PORTS.gateway, ...added.filter((i) => serviceOf(i) === 'gateway').map((i) => replicas.port(i))].map(
    (port) => `http://127.0.0.1:${port}`,
  );
  let db: DataSource;
  let kafka: Kafka;

  const stopInstance = (name: InstanceName) => (added.includes(name) ? replicas.drainService(name) : control.stop(name));
  const startInstance = (name: InstanceName) => (added.includes(name) ? replicas.restartService(name) : control.start(name));

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: TEST_DATABASE_URL }).initialize();
    kafka = testKafkaClient('rolling-restart-test', { kafka: TEST_KAFKA });
    expect(gateways).toHaveLength(4);
    for (const name of added) replicas.startService(name);
    await Promise.all(added.map((name) => replicas.waitReady(name, 120_000)));
    // Every gateway serves a command before the load starts (their reply consumers have joined).
    for (const gateway of gateways) {
      await waitFor(
        async () => {
          const res = await new ApiClient(gateway).post(
            '/v1/auth/register',
            { email: `probe-${randomUUID().slice(0, 8)}@example.com`, password: 'correct horse 9', fullName: 'Probe' },
            null,
          );
          return res.status === 201 ? true : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 1_000, what: `${gateway} to serve commands` },
      );
    }
  }, 300_000);

  afterAll(async () => {
    await replicas.stop();
    await db?.destroy();
  }, 60_000);

  it('loses nothing, does nothing twice, keeps each wallet in order, and the books balance', async () => {
    const started = Date.now();
    const clients: LoadClient[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const client = await newLoadClient(new ApiClient(gateways[i % gateways.length]), `rolling-${i}`);
      expect((await client.api.post(`/v1/wallets/${client.walletId}/deposits`, { amount: FUNDING.text })).status).toBe(201);
      clients.push(client);
    }

    const transfers: Transfer[] = [];
    const restarts: Restart[] = [];
    let rolledOut = false;
    const rollout = (async () => {
      // Let the load build up first.
      await waitFor(async () => (transfers.filter((t) => t.status).length >= CLIENTS * 2 ? true : undefined), {
        timeoutMs: 120_000,
        intervalMs: 50,
        what: 'load to build up',
      });
      for (const name of ROLLOUT) {
        const drain = await stopInstance(name);
        const stopped = Date.now();
        await startInstance(name);
        restarts.push({ ...drain, readyMs: Date.now() - stopped });
      }
      rolledOut = true;
    })();

    const load = clients.map(async (client, c) => {
      const next = clients[(c + 1) % CLIENTS];
      let afterRollout = 0;
      for (let i = 0; i < MAX_PER_CLIENT && afterRollout < MIN_AFTER; i++) {
        if (rolledOut) afterRollout++;
        const transfer: Transfer = { client: c, kind: 'transfer', key: randomUUID(), attempts: [], gateways: [] };
        transfers.push(transfer);
        const res = await untilDefinite((attempt) => {
          const g = (c + i + attempt) % gateways.length;
          transfer.gateways.push(g);
          return new ApiClient(gateways[g], client.api.token).post(
            '/v1/transfers',
            { fromWalletId: client.walletId, toWalletNumber: next.walletNumber, amount: TRANSFER.text, pin: '2580' },
            transfer.key,
          );
        }, transfer);
        transfer.transactionId = res.body.id;
        transfer.status = res.status;
      }
    });
    await Promise.all([...load, rollout]);
    const loadMs = Date.now() - started;

    const userIds = clients.map((c) => c.userId);
    const ids = transfers.map((t) => t.transactionId as string);
    const retried = transfers.filter((t) => t.attempts.length > 1);
    const failedAttempts = transfers.flatMap((t) => t.attempts.filter((a) => a.status !== 201 && a.status !== 202));
    console.log(
      `rolling restart: ${restarts.length} restarts of ${ROLLOUT.length} instances (${Object.entries(REPLICAS)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}, 1 identity) in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
        `${transfers.length} transfers acknowledged by ${gateways.length} gateways (${transfers.filter((t) => t.status === 202).length} as 202), ${retried.length} retried ` +
        `(${failedAttempts.filter((a) => a.status === 503).length} answers 503, ${failedAttempts.filter((a) => a.status === 0).length} refused or dropped connections)`,
    );
    console.log(
      `rolling restart, time to drain (SIGTERM to exit) and to be ready again per instance: ${restarts.map((r) => `${r.instance} ${r.drainMs} ms / ${r.readyMs} ms (exit ${r.code})`).join(', ')}`,
    );
    expect(restarts.map((r) => r.instance)).toEqual(ROLLOUT);
    // A clean shutdown: every instance exited 0 on SIGTERM, before Kubernetes' 30 s grace period.
    expect(restarts.filter((r) => r.code !== 0 || r.drainMs >= 30_000)).toEqual([]);
    expect(transfers.length).toBeGreaterThanOrEqual(CLIENTS * (MIN_AFTER + 2));

    // Nothing lost: every acknowledged transfer settles, completed (fraud approves these small ones).
    await waitFor(
      async () => {
        const rows = await db.query(`SELECT count(*)::int AS n FROM ledger.transactions WHERE user_id = ANY($1::uuid[]) AND status = 'pending'`, [userIds]);
        return rows[0].n === 0 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'every transfer to settle' },
    );
    // Nothing twice: one transaction per Idempotency-Key, the one its key answered with; one hold and one posting each.
    expect(new Set(ids).size).toBe(ids.length);
    const rows: { id: string; status: string }[] = await db.query(
      `SELECT id, status FROM ledger.transactions WHERE user_id = ANY($1::uuid[]) AND type = 'transfer_out'`,
      [userIds],
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.filter((r) => r.status !== 'completed')).toEqual([]);
    const keys: { key: string; id: string }[] = await db.query(
      `SELECT key, response->>'id' AS id FROM ledger.idempotency_keys WHERE scope = ANY($1) AND command = 'transfer.create'`,
      [userIds.map((u) => `user:${u}`)],
    );
    expect(Object.fromEntries(keys.map((k) => [k.key, k.id]))).toEqual(Object.fromEntries(transfers.map((t) => [t.key, t.transactionId])));
    const entries: { transaction_id: string; phases: string }[] = await db.query(
      `SELECT transaction_id, string_agg(phase, ',' ORDER BY phase) AS phases FROM ledger.journal_entries WHERE transaction_id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    );
    expect(entries.filter((e) => e.phases !== 'pending,post_pending')).toEqual([]);
    expect(entries).toHaveLength(ids.length);

    // Balances are what the transfers add up to; the books are sound, and the ledger's own verification agrees.
    for (const [c, client] of clients.entries()) {
      const sent = transfers.filter((t) => t.client === c).length;
      const received = transfers.filter((t) => t.client === (c + CLIENTS - 1) % CLIENTS).length;
      const expected = FUNDING.minor - BigInt(sent) * (TRANSFER.minor + TRANSFER.fee) + BigInt(received) * TRANSFER.minor;
      expect({ client: c, balance: (await client.api.get(`/v1/wallets/${client.walletId}/balance`)).body }).toMatchObject({
        client: c,
        balance: { balance: usd(expected), available: usd(expected), pending: '0.00' },
      });
    }
    expect(await ledgerBookProblems(db)).toEqual([]);
    const admin = await logInAdmin(new ApiClient(gateways[0]));
    const verification = await admin.post('/v1/admin/ledger/verifications', {});
    expect(verification.status).toBe(202);
    expect(
      await waitFor(
        async () => {
          const res = await admin.get(`/v1/admin/ledger/verifications/${verification.body.id}`);
          return res.status === 200 && res.body.status === 'completed' ? res.body : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500, what: 'the verification run' },
      ),
    ).toMatchObject({ ok: true, differenceCount: 0 });

    // Every event left the outbox; a subscriber reading ledger.events sees each once (by id) and in order per wallet.
    await waitFor(
      async () => {
        const left = await db.query(`SELECT count(*)::int AS n FROM ledger.outbox WHERE payload->'data'->>'transactionId' = ANY($1) AND published_at IS NULL`, [
          ids,
        ]);
        return left[0].n === 0 ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'the outbox to publish every event' },
    );
    const outbox: { id: string }[] = await db.query(`SELECT id FROM ledger.outbox WHERE payload->'data'->>'transactionId' = ANY($1)`, [ids]);
    expect(outbox).toHaveLength(2 * ids.length);
    const idSet = new Set(ids);
    const messages = (await readTopic(kafka, Topics.ledgerEvents))
      .map((m) => ({ ...m, event: JSON.parse(m.value ?? 'null') as EventEnvelope<TransactionEventData> }))
      .filter((m) => idSet.has(m.event?.data?.transactionId));
    const distinct = new Set(messages.map((m) => m.event.id));
    expect([...distinct].sort()).toEqual(outbox.map((o) => o.id).sort());
    const byKey = new Map<string, typeof messages>();
    for (const m of messages) byKey.set(m.key ?? '', [...(byKey.get(m.key ?? '') ?? []), m]);
    const disorder: string[] = [];
    for (const [key, list] of byKey) {
      if (new Set(list.map((m) => m.partition)).size !== 1) disorder.push(`${key}: on ${new Set(list.map((m) => m.partition)).size} partitions`);
      list.sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
      // Each transaction's hold before its posting, and the wallet's holds in the ledger's order.
      const firstSeen = new Map<string, number>();
      list.forEach((m, i) =>
        firstSeen.set(`${m.event.type}:${m.event.data.transactionId}`, firstSeen.get(`${m.event.type}:${m.event.data.transactionId}`) ?? i),
      );
      for (const m of list.filter((x) => x.event.type === 'transaction.posted')) {
        const pending = firstSeen.get(`transaction.pending:${m.event.data.transactionId}`);
        if (pending === undefined || pending > (firstSeen.get(`transaction.posted:${m.event.data.transactionId}`) as number))
          disorder.push(`${key}: ${m.event.data.transactionId} posted before pending`);
      }
      const holds = [...new Set(list.filter((m) => m.event.type === 'transaction.pending').map((m) => m.event.data.transactionId))];
      const ledgerOrder: { id: string }[] = await db.query(`SELECT id FROM ledger.transactions WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`, [holds]);
      if (ledgerOrder.map((r) => r.id).join() !== holds.join()) disorder.push(`${key}: holds out of the ledger's order`);
    }
    console.log(
      `rolling restart: ${messages.length} messages on ${Topics.ledgerEvents} for ${distinct.size} events (${messages.length - distinct.size} redelivered copies), ${byKey.size} keys`,
    );
    expect(disorder).toEqual([]);

    // The projections counted each transfer once, whichever replica handled it.
    await waitForConsumerGroups(kafka, ['analytics.spending', 'notification.in-app', 'fraud.scoring'], Topics.ledgerEvents, 120_000);
    const flows: { transaction_id: string; n: number }[] = await db.query(
      `SELECT transaction_id, count(*)::int AS n FROM analytics.money_flows WHERE transaction_id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    );
    expect(flows.filter((f) => f.n !== 2)).toEqual([]);
    expect(flows).toHaveLength(ids.length);
    const notes: { transaction_id: string; user_id: string; n: number }[] = await db.query(
      `SELECT data->>'transactionId' AS transaction_id, user_id, count(*)::int AS n FROM notification.notifications WHERE data->>'transactionId' = ANY($1) GROUP BY 1, 2`,
      [ids],
    );
    expect(notes.filter((n) => n.n !== 1)).toEqual([]);
    expect(notes).toHaveLength(2 * ids.length);
    const scored = await db.query(`SELECT count(*)::int AS n FROM fraud.scores WHERE transaction_id = ANY($1::uuid[])`, [ids]);
    expect(scored[0].n).toBe(ids.length);
    console.log(`rolling restart: load ran ${(loadMs / 1000).toFixed(0)} s; checks done ${((Date.now() - started) / 1000).toFixed(0)} s after the start`);
  }, 900_000);
});
