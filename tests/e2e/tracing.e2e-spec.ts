import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ApiClient, daytimeZone, OtlpReceiver, ready, ReceivedSpan, REPO_ROOT, waitFor } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL, OTLP_PORT, TEST_PORTS } from '../stack-env';

const SERVER = 2;
const CONSUMER = 5;
const PRODUCER = 4;
const traceIdOf = (traceparent: string | null) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(traceparent ?? '')?.[1];

/**
 * The stack exports its spans over OTLP/HTTP (STACK_ENV) to a receiver in this process: one
 * transfer is one trace, from the gateway's HTTP span through the ledger's command, fraud's
 * scoring and the ledger's settlement, with their Postgres and Kafka spans, and back to the gateway.
 */
describe('traces that follow a payment', () => {
  const api = new ApiClient(GATEWAY_URL);
  const receiver = new OtlpReceiver();

  beforeAll(() => receiver.listen(OTLP_PORT));
  afterAll(() => receiver.close());

  it('one transfer: one trace id across gateway, ledger and fraud, every span linked to its parent', async () => {
    const alice = await signUp(api, 'traced-alice');
    const bob = await signUp(api, 'traced-bob');
    const from = await alice.post('/v1/wallets', { currency: 'USD', pin: '2580', timeZone: daytimeZone() });
    const to = await bob.post('/v1/wallets', { currency: 'USD', pin: '8642' });
    expect((await alice.post(`/v1/wallets/${from.body.id}/deposits`, { amount: '50.00' })).status).toBe(201);

    const transfer = await alice.post('/v1/transfers', { fromWalletId: from.body.id, toWalletNumber: to.body.walletNumber, amount: '10.00', pin: '2580' });
    expect(transfer.status).toBe(201);
    const traceId = traceIdOf(transfer.headers.get('traceparent'));
    expect(traceId).toBeDefined();

    const find = (spans: ReceivedSpan[], service: string, test: (s: ReceivedSpan) => boolean) => spans.find((s) => s.service === service && test(s));
    const expected = {
      'gateway: POST /v1/transfers (HTTP server)': (t: ReceivedSpan[]) =>
        find(t, 'gateway', (s) => s.kind === SERVER && s.attributes['http.route'] === '/v1/transfers'),
      'gateway: send ledger.commands (Kafka producer)': (t: ReceivedSpan[]) =>
        find(t, 'gateway', (s) => s.kind === PRODUCER && s.attributes['messaging.destination.name'] === 'ledger.commands'),
      'ledger: the transfer.create command': (t: ReceivedSpan[]) => find(t, 'ledger', (s) => s.name === 'ledger command transfer.create'),
      'ledger: Postgres statements': (t: ReceivedSpan[]) =>
        find(t, 'ledger', (s) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql'),
      'fraud: scoring transaction.pending': (t: ReceivedSpan[]) => find(t, 'fraud', (s) => s.name === 'ledger.events process transaction.pending'),
      'fraud: Postgres statements': (t: ReceivedSpan[]) =>
        find(t, 'fraud', (s) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql'),
      'ledger: settling on fraud.decision': (t: ReceivedSpan[]) => find(t, 'ledger', (s) => s.name === 'fraud.decisions process fraud.decision'),
      'gateway: the ledger reply (Kafka consumer)': (t: ReceivedSpan[]) =>
        find(t, 'gateway', (s) => s.kind === CONSUMER && s.attributes['messaging.destination.name'] === 'ledger.commands.reply'),
      'notification: transaction.posted': (t: ReceivedSpan[]) => find(t, 'notification', (s) => s.name === 'ledger.events process transaction.posted'),
    };
    const spans = await waitFor(
      async () => {
        const t = receiver.trace(traceId as string);
        return Object.values(expected).every((present) => present(t)) ? t : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: `the spans of trace ${traceId}` },
    ).catch((err: Error) => {
      const t = receiver.trace(traceId as string);
      const missing = Object.entries(expected)
        .filter(([, present]) => !present(t))
        .map(([what]) => what);
      throw new Error(
        `${err.message}; missing: ${missing.join(', ')}; received ${t.length} spans of the trace: ${[...new Set(t.map((s) => `${s.service}: ${s.name}`))].join('; ')}`,
      );
    });

    // One tree: a single root (the gateway's HTTP server span), every other span's parent in the trace.
    await new Promise((r) => setTimeout(r, 1500)); // the last batches (the final replies) arrive
    const all = receiver.trace(traceId as string);
    const ids = new Set(all.map((s) => s.spanId));
    const roots = all.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
    expect(roots.map((s) => `${s.service}: ${s.name}`)).toEqual([`gateway: ${expected['gateway: POST /v1/transfers (HTTP server)'](spans)?.name}`]);
    expect(new Set(all.map((s) => s.service))).toEqual(expect.objectContaining(new Set(['gateway', 'ledger', 'fraud', 'notification'])));
    // Statement text only: no parameter values (a PIN's hash, an email) in database spans.
    for (const s of all.filter((x) => x.scope.includes('pg')))
      expect(Object.keys(s.attributes).filter((k) => k.includes('values') || k.includes('parameters'))).toEqual([]);
  }, 60_000);

  it('a service stopped with SIGTERM sends the spans still queued before it exits', async () => {
    const port = TEST_PORTS.gateway + 13;
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/tests/fixtures/traced-service/main.js')], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${OTLP_PORT}`, OTEL_BSP_SCHEDULE_DELAY: '600000' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(async () => ((await ready(`http://127.0.0.1:${port}`)) ? true : undefined), { timeoutMs: 30_000, what: 'the traced service' });
      const res = await fetch(`http://127.0.0.1:${port}/ping`);
      expect(res.status).toBe(200);
      const traceId = traceIdOf(res.headers.get('traceparent'));
      expect(traceId).toBeDefined();
      // Ten minutes between scheduled exports: nothing has been sent yet.
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.trace(traceId as string)).toEqual([]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const spans = receiver.trace(traceId as string);
      expect(spans.map((s) => s.service)).toContain('traced-service');
      expect(spans.find((s) => s.kind === SERVER)?.attributes['http.route']).toBe('/ping');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
