import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventEnvelope, Topics, TransactionEventData } from '@tally/contracts';
import { ApiClient, ledgerBookProblems, readTopic, StackControl, waitFor, waitForConsumerGroups, testKafkaClient } from '@tally/testing';
import { logInAdmin } from '../e2e/sign-up';
import { GATEWAY_URL, STACK_CONTROL_URL, TEST_DATABASE_URL, TEST_KAFKA } from '../stack-env';
import { LoadClient, newLoadClient, SentCommand, untilDefinite, usd } from './money-load';

const CLIENTS = 8;
const COMMANDS_PER_CLIENT = 20;
/** Every fourth command of a client is a transfer to the next client; the rest are deposits. */
const isTransfer = (i: number) => i % 4 === 3;
const DEPOSIT = { text: '3.00', minor: 300n };
const TRANSFER = { text: '1.00', minor: 100n, fee: 50n };
/** Kill once this share of all commands has been acknowledged. */
const KILL_AFTER = Math.floor((CLIENTS * COMMANDS_PER_CLIENT) / 4);

type Client = LoadClient;

interface Command extends SentCommand {
  client: number;
  kind: 'deposit' | 'transfer';
}

/**
 * kill -9 of the ledger while clients deposit and transfer through the gateway, then a restart.
 * Clients retry each command with its own Idempotency-Key until they get a definite answer. After:
 * every acknowledged command is in the journal exactly once, balances are what the commands say,
 * the books are sound, every journal entry's event is on ledger.events (a copy only ever under the
 * same envelope id), and the projections counted each movement once.
 */
describe('the ledger killed (SIGKILL) under load and restarted', () => {
  const api = new ApiClient(GATEWAY_URL);
  const control = new StackControl(STACK_CONTROL_URL);
  let db: DataSource;
  let kafka: Kafka;

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: TEST_DATABASE_URL }).initialize();
    kafka = testKafkaClient('ledger-kill-test', { kafka: TEST_KAFKA });
    // An earlier resilience spec may have restarted the broker: wait until commands flow again
    // (consumer groups rejoined), so the load below starts on a serving stack.
    await waitFor(
      async () => {
        const email = `kill-probe-${randomUUID().slice(0, 8)}@example.com`;
        const res = await api.post('/v1/auth/register', { email, password: 'correct horse 9', fullName: 'Kill Probe' }, null);
        return res.status === 201 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what: 'the stack to serve commands' },
    );
  }, 180_000);

  afterAll(async () => {
    await db?.destroy();
  });

  it('keeps every acknowledged command exactly once and delivers every event', async () => {
    const clients: Client[] = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await newLoadClient(api, `kill-${i}`));

    const commands: Command[] = [];
    let acknowledged = 0;
    let killedAt = Number.POSITIVE_INFINITY;
    let readyAgainAt = Number.POSITIVE_INFINITY;
    const kill = (async () => {
      await waitFor(async () => (acknowledged >= KILL_AFTER ? true : undefined), { timeoutMs: 120_000, intervalMs: 20, what: 'load to build up' });
      killedAt = Date.now();
      const pid = await control.kill('ledger');
      const newPid = await control.start('ledger');
      readyAgainAt = Date.now();
      console.log(`ledger kill: pid ${pid} killed with SIGKILL, pid ${newPid} ready after ${readyAgainAt - killedAt} ms`);
    })();

    const load = clients.map(async (client, c) => {
      const next = clients[(c + 1) % CLIENTS];
      for (let i = 0; i < COMMANDS_PER_CLIENT; i++) {
        const command: Command = { client: c, kind: isTransfer(i) ? 'transfer' : 'deposit', key: randomUUID(), attempts: [] };
        commands.push(command);
        const send = () =>
          command.kind === 'deposit'
            ? client.api.post(`/v1/wallets/${client.walletId}/deposits`, { amount: DEPOSIT.text }, command.key)
            : client.api.post(
                '/v1/transfers',
                { fromWalletId: client.walletId, toWalletNumber: next.walletNumber, amount: TRANSFER.text, pin: '2580' },
                command.key,
              );
        const res = await untilDefinite(send, command);
        command.transactionId = res.body.id;
        command.status = res.status;
        acknowledged++;
      }
    });
    await Promise.all([...load, kill]);

    const userIds = clients.map((c) => c.userId);
    const cutOff = commands.filter((c) => c.attempts.some((a) => a.started < killedAt && a.ended > killedAt));
    const retried = commands.filter((c) => c.attempts.length > 1);
    // Retried commands the killed ledger had committed without its answer getting out.
    const committedUnanswered = await db.query(
      `SELECT count(*)::int AS n FROM ledger.transactions WHERE id = ANY($1::uuid[]) AND created_at < to_timestamp($2::bigint / 1000.0)`,
      [retried.map((c) => c.transactionId), killedAt],
    );
    console.log(
      `ledger kill: ${commands.length} commands acknowledged (${commands.filter((c) => c.kind === 'transfer').length} transfers), ` +
        `${cutOff.length} in flight at the kill, ${retried.length} retried (${retried.reduce((n, c) => n + c.attempts.length - 1, 0)} retries), ` +
        `${committedUnanswered[0].n} of them committed before the kill but unanswered`,
    );
    expect(commands).toHaveLength(CLIENTS * COMMANDS_PER_CLIENT);
    expect(retried.length).toBeGreaterThan(0);

    // Transfers settle once fraud's decisions (queued while the ledger was down) are applied.
    await waitFor(
      async () => {
        const rows = await db.query(`SELECT count(*)::int AS n FROM ledger.transactions WHERE user_id = ANY($1::uuid[]) AND status = 'pending'`, [userIds]);
        return rows[0].n === 0 ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'every transfer to settle' },
    );

    // Exactly once in the journal: one transaction per command, the one its key answered with.
    const ids = commands.map((c) => c.transactionId as string);
    expect(new Set(ids).size).toBe(ids.length);
    const transactions: { id: string; type: string; status: string }[] = await db.query(
      `SELECT id, type, status FROM ledger.transactions WHERE user_id = ANY($1::uuid[]) AND type IN ('deposit', 'transfer_out')`,
      [userIds],
    );
    expect(transactions.map((t) => t.id).sort()).toEqual([...ids].sort());
    expect(transactions.filter((t) => t.status !== 'completed')).toEqual([]);
    const keys: { key: string; id: string }[] = await db.query(
      `SELECT key, response->>'id' AS id FROM ledger.idempotency_keys WHERE scope = ANY($1) AND command IN ('deposit.create', 'transfer.create')`,
      [userIds.map((u) => `user:${u}`)],
    );
    expect(Object.fromEntries(keys.map((k) => [k.key, k.id]))).toEqual(Object.fromEntries(commands.map((c) => [c.key, c.transactionId])));
    const entries: { transaction_id: string; phases: string }[] = await db.query(
      `SELECT transaction_id, string_agg(phase, ',' ORDER BY phase) AS phases FROM ledger.journal_entries
        WHERE transaction_id = ANY($1::uuid[]) GROUP BY transaction_id`,
      [ids],
    );
    const phases = Object.fromEntries(entries.map((e) => [e.transaction_id, e.phases]));
    expect(phases).toEqual(Object.fromEntries(commands.map((c) => [c.transactionId, c.kind === 'deposit' ? 'posted' : 'pending,post_pending'])));
    // Nothing else touched these wallets.
    const stray = await db.query(
      `SELECT DISTINCT e.transaction_id FROM ledger.postings p JOIN ledger.journal_entries e ON e.id = p.entry_id
         JOIN ledger.wallets w ON w.account_id = p.account_id
        WHERE w.user_id = ANY($1::uuid[]) AND NOT e.transaction_id = ANY($2::uuid[])`,
      [userIds, ids],
    );
    expect(stray).toEqual([]);

    // Balances are what the acknowledged commands add up to, and the books are sound.
    for (const [c, client] of clients.entries()) {
      const own = commands.filter((cmd) => cmd.client === c);
      const incoming = commands.filter((cmd) => cmd.client === (c + CLIENTS - 1) % CLIENTS && cmd.kind === 'transfer').length;
      const deposits = own.filter((cmd) => cmd.kind === 'deposit').length;
      const sent = own.length - deposits;
      const expected = BigInt(deposits) * DEPOSIT.minor - BigInt(sent) * (TRANSFER.minor + TRANSFER.fee) + BigInt(incoming) * TRANSFER.minor;
      const balance = (await client.api.get(`/v1/wallets/${client.walletId}/balance`)).body;
      expect(balance).toMatchObject({ balance: usd(expected), available: usd(expected), pending: '0.00' });
    }
    expect(await ledgerBookProblems(db)).toEqual([]);
    // The ledger's own verification run (an admin's) agrees: every balance row equals its postings.
    const admin = await logInAdmin(api);
    const started = await admin.post('/v1/admin/ledger/verifications', {});
    expect(started.status).toBe(202);
    const verification = await waitFor(
      async () => {
        const res = await admin.get(`/v1/admin/ledger/verifications/${started.body.id}`);
        return res.status === 200 && res.body.status === 'completed' ? res.body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the verification run to complete' },
    );
    expect(verification).toMatchObject({ ok: true, differenceCount: 0 });

    // Every event of these commands left the outbox and is on ledger.events, once per envelope id.
    await waitFor(
      async () => {
        const rows = await db.query(`SELECT count(*)::int AS n FROM ledger.outbox WHERE payload->'data'->>'userId' = ANY($1) AND published_at IS NULL`, [
          userIds,
        ]);
        return rows[0].n === 0 ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'the outbox to publish every event' },
    );
    const outbox: { id: string; type: string; transaction_id: string }[] = await db.query(
      `SELECT id, payload->>'type' AS type, payload->'data'->>'transactionId' AS transaction_id FROM ledger.outbox
        WHERE payload->'data'->>'transactionId' = ANY($1)`,
      [ids],
    );
    const eventsPerTransaction = (rows: { type: string; transaction_id: string }[]) => {
      const by = new Map<string, string[]>();
      for (const r of rows) by.set(r.transaction_id, [...(by.get(r.transaction_id) ?? []), r.type].sort());
      return Object.fromEntries(by);
    };
    const expectedEvents = Object.fromEntries(
      commands.map((c) => [c.transactionId, c.kind === 'deposit' ? ['transaction.posted'] : ['transaction.pending', 'transaction.posted']]),
    );
    expect(eventsPerTransaction(outbox)).toEqual(expectedEvents);

    const idSet = new Set(ids);
    const onTopic = (await readTopic(kafka, Topics.ledgerEvents))
      .map((m) => JSON.parse(m.value ?? 'null') as EventEnvelope<TransactionEventData>)
      .filter((e) => idSet.has(e?.data?.transactionId));
    const distinct = new Map(onTopic.map((e) => [e.id, e]));
    const copies = onTopic.length - distinct.size;
    console.log(`ledger kill: ${outbox.length} events in the outbox, ${onTopic.length} messages on ${Topics.ledgerEvents} (${copies} redelivered copies)`);
    expect([...distinct.keys()].sort()).toEqual(outbox.map((o) => o.id).sort());
    expect(eventsPerTransaction([...distinct.values()].map((e) => ({ type: e.type, transaction_id: e.data.transactionId })))).toEqual(expectedEvents);
    // A copy is the same envelope, byte for byte in what it says.
    for (const e of onTopic) expect(e).toEqual(distinct.get(e.id));

    // The projections counted each movement once.
    await waitForConsumerGroups(kafka, ['analytics.spending', 'notification.in-app', 'fraud.scoring'], Topics.ledgerEvents, 90_000);
    const flows: { transaction_id: string; n: number }[] = await db.query(
      `SELECT transaction_id, count(*)::int AS n FROM analytics.money_flows WHERE transaction_id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    );
    expect(Object.fromEntries(flows.map((f) => [f.transaction_id, f.n]))).toEqual(
      Object.fromEntries(commands.map((c) => [c.transactionId, c.kind === 'deposit' ? 1 : 2])),
    );
    const notes: { transaction_id: string; user_id: string; n: number }[] = await db.query(
      `SELECT data->>'transactionId' AS transaction_id, user_id, count(*)::int AS n FROM notification.notifications
        WHERE data->>'transactionId' = ANY($1) GROUP BY 1, 2`,
      [ids],
    );
    expect(notes.filter((n) => n.n !== 1)).toEqual([]);
    expect(notes).toHaveLength(commands.filter((c) => c.kind === 'deposit').length + 2 * commands.filter((c) => c.kind === 'transfer').length);
    const scored = await db.query(`SELECT count(*)::int AS n FROM fraud.scores WHERE transaction_id = ANY($1::uuid[])`, [ids]);
    expect(scored[0].n).toBe(commands.filter((c) => c.kind === 'transfer').length);
    for (const [c, client] of clients.entries()) {
      const sent = commands.filter((cmd) => cmd.client === c && cmd.kind === 'transfer').length;
      const spending = await waitFor(
        async () => {
          const res = await client.api.get('/v1/analytics/spending?groupBy=category&currency=USD');
          return res.status === 200 ? res.body : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500, what: 'analytics to answer' },
      );
      expect(spending.groups).toEqual([{ key: 'transfer', total: usd(BigInt(sent) * (TRANSFER.minor + TRANSFER.fee)), count: sent }]);
    }
  });
});
