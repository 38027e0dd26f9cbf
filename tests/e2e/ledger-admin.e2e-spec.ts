import { randomUUID } from 'node:crypto';
import { EventEnvelope, Topics, TransactionEventData } from '@tally/contracts';
import { ApiClient, readTopic, waitFor, testKafkaClient } from '@tally/testing';
import { GATEWAY_URL, STACK_ENV, TEST_KAFKA } from '../stack-env';
import { signInAdmin } from './sign-up';

jest.setTimeout(120_000);

/**
 * The ledger's admin reports over HTTP: the bootstrap admin (TALLY_ADMIN_EMAIL / _PASSWORD) logs in
 * and reads the trial balance, runs a verification and a journal replay; a plain user is refused;
 * a wallet holder asks for a balance as of a past time.
 */
describe('ledger admin routes through the gateway', () => {
  const api = new ApiClient(GATEWAY_URL);
  let admin: ApiClient;
  let user: ApiClient;
  let walletId: string;
  let beforeDeposit: string;
  let depositId: string;

  beforeAll(async () => {
    const login = await signInAdmin(api);
    expect(login.user.roles).toEqual(expect.arrayContaining(['user', 'admin']));
    admin = api.as(login.accessToken);

    const email = `holder-${randomUUID().slice(0, 8)}@example.com`;
    expect((await api.post('/v1/auth/register', { email, password: 'correct horse 42', fullName: 'Holder' }, null)).status).toBe(201);
    user = api.as((await api.post('/v1/auth/login', { email, password: 'correct horse 42' }, null)).body.accessToken);
    const wallet = await user.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect(wallet.status).toBe(201);
    walletId = wallet.body.id;
    // Clocks: the services run on this machine; a margin keeps the instant clearly before the deposit.
    beforeDeposit = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 50));
    const deposit = await user.post(`/v1/wallets/${walletId}/deposits`, { amount: '42.00' });
    expect(deposit.status).toBe(201);
    depositId = deposit.body.id;
  });

  it('the bootstrap admin sees roles user and admin on /v1/me', async () => {
    const me = await admin.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: STACK_ENV.TALLY_ADMIN_EMAIL, roles: ['user', 'admin'] });
  });

  it('GET /v1/admin/ledger/trial-balance: 200, balanced per currency', async () => {
    const res = await admin.get('/v1/admin/ledger/trial-balance');
    expect(res.status).toBe(200);
    expect(res.body.balanced).toBe(true);
    const usd = res.body.items.find((i: { currency: string }) => i.currency === 'USD');
    expect(usd).toMatchObject({ currency: 'USD', balanced: true });
    expect(usd.totalDebits).toBe(usd.totalCredits);
    expect(Number(usd.totalDebits)).toBeGreaterThanOrEqual(42);
    expect(usd.totalDebits).toMatch(/^\d+\.\d{2}$/);
  });

  it('refuses a plain user (403 FORBIDDEN) and no token (401 UNAUTHENTICATED) on every admin ledger route', async () => {
    const routes: [string, string][] = [
      ['GET', '/v1/admin/ledger/trial-balance'],
      ['POST', '/v1/admin/ledger/verifications'],
      ['POST', '/v1/admin/ledger/replays'],
      ['GET', `/v1/admin/ledger/replays/${randomUUID()}`],
    ];
    for (const [method, path] of routes) {
      const asUser = method === 'GET' ? await user.get(path) : await user.post(path, {});
      expect([path, asUser.status, asUser.body.error]).toEqual([path, 403, 'FORBIDDEN']);
      const anonymous = method === 'GET' ? await api.get(path) : await api.post(path, {});
      expect([path, anonymous.status, anonymous.body.error]).toEqual([path, 401, 'UNAUTHENTICATED']);
    }
  });

  it('answers a balance as of a past time, and 400 for a future or malformed one', async () => {
    const before = await user.get(`/v1/wallets/${walletId}/balance?asOf=${encodeURIComponent(beforeDeposit)}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ walletId, balance: '0.00', available: '0.00', pending: '0.00', asOf: beforeDeposit });
    const after = await user.get(`/v1/wallets/${walletId}/balance?asOf=${encodeURIComponent(new Date().toISOString())}`);
    expect(after.body).toMatchObject({ balance: '42.00', available: '42.00' });

    const future = await user.get(`/v1/wallets/${walletId}/balance?asOf=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect([future.status, future.body.error]).toEqual([400, 'VALIDATION_FAILED']);
    const malformed = await user.get(`/v1/wallets/${walletId}/balance?asOf=last-tuesday`);
    expect([malformed.status, malformed.body.error]).toEqual([400, 'VALIDATION_FAILED']);
    // Someone else's wallet stays invisible, whatever the time.
    const other = await admin.get(`/v1/wallets/${walletId}/balance?asOf=${encodeURIComponent(beforeDeposit)}`);
    expect([other.status, other.body.error]).toEqual([404, 'NOT_FOUND']);
  });

  it('runs a verification in the background and finds no difference', async () => {
    const started = await admin.post('/v1/admin/ledger/verifications', {});
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', ok: null });
    const done = await waitFor(
      async () => {
        const res = await admin.get(`/v1/admin/ledger/verifications/${started.body.id}`);
        return res.body.status === 'completed' ? res.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the verification run' },
    );
    expect(done).toMatchObject({ ok: true, differenceCount: 0, differences: [] });
    expect(done.checkedAccounts).toBeGreaterThanOrEqual(2);
  });

  it('replays the journal to ledger.replay with the live events’ ids', async () => {
    const started = await admin.post('/v1/admin/ledger/replays', {});
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', topic: 'ledger.replay', from: null });
    const bad = await admin.post('/v1/admin/ledger/replays', { from: '2030-01-01T00:00:00Z' });
    expect([bad.status, bad.body.error]).toEqual([400, 'VALIDATION_FAILED']);

    // The run waits a few seconds past its end so no transaction in flight is missed.
    const done = await waitFor(
      async () => {
        const res = await admin.get(`/v1/admin/ledger/replays/${started.body.id}`);
        return res.body.status === 'completed' ? res.body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the replay run' },
    );
    expect(done.entriesReplayed).toBeGreaterThanOrEqual(1);

    const kafka = testKafkaClient('ledger-admin-test', { kafka: TEST_KAFKA });
    const depositEvent = (messages: { value: string | null }[]) =>
      messages
        .map((m) => JSON.parse(m.value ?? '{}') as EventEnvelope<TransactionEventData>)
        .find((e) => e.type === 'transaction.posted' && e.data.transactionId === depositId);
    const replayed = await waitFor(async () => depositEvent(await readTopic(kafka, Topics.ledgerReplay)), {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: 'the replayed deposit on ledger.replay',
    });
    const live = depositEvent(await readTopic(kafka, Topics.ledgerEvents));
    expect(live).toBeDefined();
    expect(replayed.id).toBe(live!.id);
    expect(replayed.data).toEqual(live!.data);
  });
});
