import { randomUUID } from 'node:crypto';
import { ApiClient, waitFor } from '@tally/testing';
import { GATEWAY_URL } from '../stack-env';
import { SignedUpUser, enrolTotp, logInAdmin, signInWithTotp, signUpUser } from './sign-up';

jest.setTimeout(120_000);

/**
 * The admin bulk import of past transactions through the gateway: rows checked one by one at
 * submission (a bad row is reported with its reason, the rest go on), the import and its per-row
 * report kept, the submission idempotent and audited; auditors read it, only admins import.
 */
describe('admin bulk import of past transactions', () => {
  const api = new ApiClient(GATEWAY_URL);
  let admin: ApiClient;
  let adminId: string;
  let auditor: ApiClient;
  let ann: SignedUpUser;
  let bob: SignedUpUser;
  let annWallet: { id: string; walletNumber: string };
  let bobWallet: { id: string; walletNumber: string };
  const month = (daysBack: number) => new Date(Date.now() - daysBack * 86_400_000).toISOString();
  const month60 = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 3, 1)).toISOString();
  let importId: string;
  let body: { description: string; entries: ReturnType<typeof entries> };

  beforeAll(async () => {
    admin = await logInAdmin(api);
    adminId = (await admin.get('/v1/me')).body.id;
    const carol = await signUpUser(api, 'import-auditor');
    // An auditor has a second factor: TOTP first, then the role, then a sign-in with a code.
    const { secret } = await enrolTotp(carol);
    expect((await admin.post(`/v1/admin/users/${carol.userId}/roles`, { roles: ['user', 'auditor'] }, null)).status).toBe(200);
    auditor = await signInWithTotp(api, carol, secret);
    ann = await signUpUser(api, 'import-ann');
    bob = await signUpUser(api, 'import-bob');
    annWallet = (await ann.api.post('/v1/wallets', { currency: 'EUR', pin: '2580' })).body;
    bobWallet = (await bob.api.post('/v1/wallets', { currency: 'EUR', pin: '2580' })).body;
  });

  function entries() {
    return [
      { ref: 'salary', type: 'deposit', walletNumber: annWallet.walletNumber, amount: '2000.00', occurredAt: month(60), description: 'Salary' },
      {
        ref: 'coffee',
        type: 'purchase',
        walletNumber: annWallet.walletNumber,
        amount: '4.50',
        occurredAt: month(59),
        merchantName: 'Kaffeehaus',
        merchantCategory: 'food_beverage',
      },
      {
        type: 'transfer',
        walletNumber: annWallet.walletNumber,
        toWalletNumber: bobWallet.walletNumber,
        amount: '100.00',
        occurredAt: month(58),
        description: 'Rent share',
      },
      { type: 'refund', walletNumber: annWallet.walletNumber, amount: '4.50', occurredAt: month(57), refundOf: 'coffee' },
      { type: 'withdrawal', walletNumber: annWallet.walletNumber, amount: '50.00', occurredAt: month(30) },
      // Refused at submission, each with its reason:
      { type: 'gift', walletNumber: annWallet.walletNumber, amount: '1.00', occurredAt: month(10) },
      { type: 'deposit', walletNumber: 'WA999999999999', amount: '1.00', occurredAt: month(10) },
      { type: 'deposit', walletNumber: annWallet.walletNumber, amount: '1.001', occurredAt: month(10) },
      { type: 'deposit', walletNumber: annWallet.walletNumber, amount: '1.00', occurredAt: new Date(Date.now() + 86_400_000).toISOString() },
      { type: 'purchase', walletNumber: annWallet.walletNumber, amount: '1.00', occurredAt: month(10) },
      // Accepted, then refused by the ledger when booked: more than the wallet holds; a refund beyond what is left.
      { type: 'withdrawal', walletNumber: annWallet.walletNumber, amount: '5000.00', occurredAt: month(20) },
      { type: 'refund', walletNumber: annWallet.walletNumber, amount: '1.00', occurredAt: month(19), refundOf: 'coffee' },
    ];
  }

  it('checks every row, keeps the import with a report per row, and is audited', async () => {
    const key = randomUUID();
    body = { description: 'legacy system, batch 1', entries: entries() };
    const res = await admin.request('POST', '/v1/admin/imports', body, { 'Idempotency-Key': key, 'User-Agent': 'import-e2e' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      total: 12,
      accepted: 7,
      rejected: 5,
      description: 'legacy system, batch 1',
      requestedBy: adminId,
      status: expect.stringMatching(/queued|running|completed/),
    });

    const detail = await auditor.get(`/v1/admin/imports/${res.body.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: res.body.id, rowsTotal: 12 });
    const rejected = detail.body.rows.filter((r: { status: string }) => r.status === 'rejected');
    expect(rejected.map((r: any) => [r.index, r.error.code])).toEqual([
      [5, 'VALIDATION_FAILED'],
      [6, 'NOT_FOUND'],
      [7, 'INVALID_AMOUNT'],
      [8, 'VALIDATION_FAILED'],
      [9, 'VALIDATION_FAILED'],
    ]);
    expect(rejected.find((r: { index: number }) => r.index === 8).error.message).toMatch(/future/);
    expect(rejected.find((r: { index: number }) => r.index === 9).error.message).toMatch(/merchantName/);
    const accepted = detail.body.rows.filter((r: { status: string }) => r.status !== 'rejected');
    expect(accepted.map((r: any) => [r.index, r.ref, r.type, r.occurredAt])).toEqual(
      body.entries.map((e, i) => [i, e.ref ?? null, e.type, e.occurredAt]).filter(([i]) => ![5, 6, 7, 8, 9].includes(i as number)),
    );
    const rejectedOnly = await auditor.get(`/v1/admin/imports/${res.body.id}?rowStatus=rejected&limit=2&offset=1`);
    expect(rejectedOnly.body).toMatchObject({ rowsTotal: 5, limit: 2, offset: 1 });
    expect(rejectedOnly.body.rows.map((r: { index: number }) => r.index)).toEqual([6, 7]);

    // The same key and body answer the same import; another body with the key is 409.
    const again = await admin.post('/v1/admin/imports', body, key);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(res.body.id);
    expect((await admin.post('/v1/admin/imports', { ...body, description: 'another' }, key)).status).toBe(409);

    const list = await auditor.get('/v1/admin/imports?limit=100');
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(res.body.id);
    expect(list.body.items.filter((i: { id: string }) => i.id === res.body.id)).toHaveLength(1);

    const audit = await waitFor(
      async () => {
        const log = await auditor.get(`/v1/admin/audit-logs?action=ledger.import.created&actorId=${adminId}&limit=100`);
        return log.body.items.find((e: { targetId: string }) => e.targetId === res.body.id);
      },
      { timeoutMs: 20_000, what: 'the import in the audit log' },
    );
    expect(audit).toMatchObject({ source: 'ledger', targetType: 'import', userAgent: 'import-e2e', details: { total: 12, accepted: 7, rejected: 5 } });
    importId = res.body.id;
  });

  it('books the accepted rows in the order they happened, dated then, through the same checks as live money', async () => {
    const done = await waitFor(
      async () => {
        const r = await admin.get(`/v1/admin/imports/${importId}`);
        return r.body.status === 'completed' ? r.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the import to be booked' },
    );
    expect(done).toMatchObject({ total: 12, accepted: 7, rejected: 5, posted: 5, failed: 2, completedAt: expect.any(String) });
    const byIndex = Object.fromEntries(done.rows.map((r: { index: number }) => [r.index, r]));
    expect([0, 1, 2, 3, 4].map((i) => [i, byIndex[i].status, typeof byIndex[i].transactionId])).toEqual([0, 1, 2, 3, 4].map((i) => [i, 'posted', 'string']));
    expect(byIndex[10]).toMatchObject({ status: 'failed', error: { code: 'INSUFFICIENT_FUNDS' } });
    expect(byIndex[11]).toMatchObject({ status: 'failed', error: { code: 'REFUND_EXCEEDS_ORIGINAL' } });

    // The money: 2000 in; 4.50 spent and refunded; 100 sent with the 0.50 fee; 50 withdrawn.
    expect((await ann.api.get(`/v1/wallets/${annWallet.id}/balance`)).body).toMatchObject({ balance: '1849.50', dailySpent: '0.00', monthlySpent: '0.00' });
    expect((await bob.api.get(`/v1/wallets/${bobWallet.id}/balance`)).body.balance).toBe('100.00');
    // Each transaction is dated when it happened; the admin sees the import and the booking time too.
    const entries = body.entries;
    const mine = (await ann.api.get('/v1/transactions?limit=100&sortBy=createdAt&sortOrder=asc')).body.items;
    expect(mine.map((t: any) => [t.type, t.amount, t.createdAt])).toEqual([
      ['deposit', '2000.00', entries[0].occurredAt],
      ['purchase', '4.50', entries[1].occurredAt],
      ['transfer_out', '100.00', entries[2].occurredAt],
      ['refund', '4.50', entries[3].occurredAt],
      ['withdrawal', '50.00', entries[4].occurredAt],
    ]);
    const detail = await auditor.get(`/v1/admin/transactions/${byIndex[2].transactionId}`);
    expect(detail.body.transaction).toMatchObject({
      imported: true,
      occurredAt: entries[2].occurredAt,
      importId,
      importRow: 2,
      fee: '0.50',
      status: 'completed',
    });
    expect(new Date(detail.body.transaction.bookedAt).getTime()).toBeGreaterThan(Date.now() - 120_000);
    expect(detail.body.journalEntries).toEqual([
      expect.objectContaining({ phase: 'posted', metadata: expect.objectContaining({ imported: { importId, row: 2, occurredAt: entries[2].occurredAt } }) }),
    ]);
    expect(detail.body.related).toEqual([
      expect.objectContaining({ type: 'transfer_in', userId: bob.userId, createdAt: entries[2].occurredAt, imported: true }),
    ]);
    expect((await admin.get(`/v1/admin/transactions/${byIndex[3].transactionId}`)).body.transaction).toMatchObject({
      type: 'refund',
      originalTransactionId: byIndex[1].transactionId,
    });

    // Analytics puts it in the months it happened; nobody is notified of old news.
    const month = entries[0].occurredAt.slice(0, 7);
    const spending = await waitFor(
      async () => {
        const r = await ann.api.get(`/v1/analytics/spending?groupBy=month&currency=EUR&from=${encodeURIComponent(month60())}`);
        return r.body.groups?.length ? r.body : undefined;
      },
      { timeoutMs: 30_000, what: "analytics to project ann's imported history" },
    );
    expect(spending.groups.map((g: { key: string }) => g.key)).toContain(month);
    expect((await ann.api.get('/v1/me/notifications')).body.items.filter((n: { type: string }) => n.type === 'transaction.completed')).toEqual([]);
    const completed = await waitFor(
      async () => {
        const log = await auditor.get(`/v1/admin/audit-logs?action=ledger.import.completed&limit=100`);
        return log.body.items.find((e: { targetId: string }) => e.targetId === importId);
      },
      { timeoutMs: 20_000, what: 'the completed import in the audit log' },
    );
    expect(completed.details).toMatchObject({ posted: 5, failed: 2 });
  });

  it('refuses what is not an import (400), and anyone but an admin (403); an unknown import is 404', async () => {
    for (const body of [
      {},
      { entries: [] },
      { entries: 'x' },
      { entries: [1, 2] },
      { entries: Array.from({ length: 501 }, () => ({})) },
      { entries: [{}], extra: 1 },
    ]) {
      expect([JSON.stringify(body).slice(0, 40), (await admin.post('/v1/admin/imports', body)).status]).toEqual([JSON.stringify(body).slice(0, 40), 400]);
    }
    expect((await admin.request('POST', '/v1/admin/imports', { entries: entries() })).status).toBe(400);
    expect((await auditor.post('/v1/admin/imports', { entries: entries() })).status).toBe(403);
    expect((await ann.api.post('/v1/admin/imports', { entries: entries() })).status).toBe(403);
    expect((await ann.api.get('/v1/admin/imports')).status).toBe(403);
    expect((await admin.get(`/v1/admin/imports/${randomUUID()}`)).status).toBe(404);
    expect((await admin.get('/v1/admin/imports?status=done')).status).toBe(400);
    expect((await admin.get(`/v1/admin/imports/${randomUUID()}?rowStatus=x`)).status).toBe(400);
  });
});
