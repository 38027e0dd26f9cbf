import { randomUUID } from 'node:crypto';
import { ApiClient, waitFor } from '@tally/testing';
import { GATEWAY_URL } from '../stack-env';
import { SignedUpUser, enrolTotp, logInAdmin, signInWithTotp, signUpUser } from './sign-up';

jest.setTimeout(120_000);

/**
 * The admin API of issue 12 through the gateway: user search and one user's page, every user's
 * transactions with their journal entries, platform analytics (checked against the trial balance),
 * and the audit log; PII masked as the seed does for whoever does not need it in full, and the
 * auditor reading everything while changing nothing. Money here is CHF, which no other spec uses,
 * so the platform's CHF figures are this spec's alone and can be checked exactly.
 */
describe('admin API: users, transactions, analytics, audit log', () => {
  const api = new ApiClient(GATEWAY_URL);
  const started = new Date(Date.now() - 1000).toISOString();
  let admin: ApiClient;
  let adminId: string;
  let auditor: ApiClient;
  let auditorId: string;
  let plain: SignedUpUser;
  let ann: SignedUpUser;
  let bob: SignedUpUser;
  let annWallet: { id: string; walletNumber: string };
  let bobWallet: { id: string; walletNumber: string };
  let transferId: string;
  let purchaseId: string;

  beforeAll(async () => {
    admin = await logInAdmin(api);
    adminId = (await admin.get('/v1/me')).body.id;
    const carol = await signUpUser(api, 'auditor');
    // An auditor has a second factor: TOTP first, then the role, then a sign-in with a code.
    const { secret } = await enrolTotp(carol);
    expect((await admin.post(`/v1/admin/users/${carol.userId}/roles`, { roles: ['user', 'auditor'] }, null)).status).toBe(200);
    auditor = await signInWithTotp(api, carol, secret);
    auditorId = carol.userId;
    plain = await signUpUser(api, 'plain');
    ann = await signUpUser(api, 'annabel', { phone: '+60123456789' });
    bob = await signUpUser(api, 'bobby');
    annWallet = (await ann.api.post('/v1/wallets', { currency: 'CHF', pin: '2580' })).body;
    bobWallet = (await bob.api.post('/v1/wallets', { currency: 'CHF', pin: '9182' })).body;
    expect((await ann.api.post(`/v1/wallets/${annWallet.id}/deposits`, { amount: '500.00' })).status).toBe(201);
    const transfer = await ann.api.post('/v1/transfers', { fromWalletId: annWallet.id, toWalletNumber: bobWallet.walletNumber, amount: '100.00', pin: '2580' });
    expect([201, 202]).toContain(transfer.status);
    transferId = transfer.body.id;
    const purchase = await bob.api.post('/v1/payments', {
      walletId: bobWallet.id,
      amount: '30.00',
      merchantName: 'Migros',
      merchantCategory: 'groceries',
      pin: '9182',
    });
    purchaseId = purchase.body.id;
    for (const [user, id] of [
      [ann, transferId],
      [bob, purchaseId],
    ] as const) {
      await waitFor(async () => ((await user.api.get(`/v1/transactions/${id}`)).body.status === 'completed' ? true : undefined), {
        timeoutMs: 30_000,
        what: `transaction ${id} to complete`,
      });
    }
  });

  describe('users: search and one user', () => {
    it('finds a user by part of the email, by name and by wallet number; the list is masked the seed way', async () => {
      const local = ann.email.slice(0, ann.email.indexOf('@'));
      const byEmail = await admin.get(`/v1/admin/users?q=${encodeURIComponent(local.slice(2))}`);
      expect(byEmail.status).toBe(200);
      expect(byEmail.body.items.map((u: { id: string }) => u.id)).toEqual([ann.userId]);
      expect(byEmail.body.items[0]).toMatchObject({ email: `${local.slice(0, 3)}***@example.com`, phone: '+6012XXXXXX9', fullName: 'annabel Tester' });
      expect(JSON.stringify(byEmail.body)).not.toContain(ann.email);
      expect(JSON.stringify(byEmail.body)).not.toContain('123456789');

      const byName = await admin.get('/v1/admin/users?q=BOBBY%20tes&limit=100');
      expect(byName.body.items.map((u: { id: string }) => u.id)).toContain(bob.userId);
      expect(byName.body.items.every((u: { fullName: string }) => /bobby tes/i.test(u.fullName))).toBe(true);

      const byWallet = await admin.get(`/v1/admin/users?q=${bobWallet.walletNumber.toLowerCase()}`);
      expect(byWallet.body.items.map((u: { id: string }) => u.id)).toEqual([bob.userId]);
      const byWalletPrefix = await admin.get(`/v1/admin/users?q=${bobWallet.walletNumber.slice(0, 12)}&limit=100`);
      expect(byWalletPrefix.body.items.map((u: { id: string }) => u.id)).toContain(bob.userId);

      // LIKE wildcards are searched for literally, not as wildcards: each pattern would match ann's
      // email as a wildcard, and no email or name holds it literally (other specs share this stack).
      const unique = local.slice(-8);
      for (const pattern of [
        `${unique.slice(0, 3)}%${unique.slice(4)}`,
        `${unique.slice(0, 3)}_${unique.slice(4)}`,
        `${unique.slice(0, 2)}__${unique.slice(4)}`,
      ]) {
        expect([pattern, (await admin.get(`/v1/admin/users?q=${encodeURIComponent(pattern)}`)).body.items]).toEqual([pattern, []]);
      }
      expect((await admin.get('/v1/admin/users?q=x')).status).toBe(400);
      expect((await admin.get(`/v1/admin/users?q=${'y'.repeat(101)}`)).status).toBe(400);
      expect((await admin.get(`/v1/admin/users?walletOwnerIds=${ann.userId}`)).status).toBe(400);
    });

    it("an admin sees one user's email and phone in full, wallets with balances, sessions and security events", async () => {
      const res = await admin.get(`/v1/admin/users/${ann.userId}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ piiMasked: false, user: { id: ann.userId, email: ann.email, phone: '+60123456789', status: 'active' } });
      expect(res.body.wallets).toEqual([
        expect.objectContaining({
          id: annWallet.id,
          walletNumber: annWallet.walletNumber,
          currency: 'CHF',
          balance: '399.50',
          pinLocked: false,
          failedPinAttempts: 0,
        }),
      ]);
      expect(res.body.sessions).toEqual([expect.objectContaining({ id: ann.sessionId, ip: expect.any(String) })]);
      expect(res.body.securityEvents.map((e: { kind: string }) => e.kind)).toContain('login_succeeded');
      expect(JSON.stringify(res.body)).not.toMatch(/password|hash|refresh/i);
    });

    it('an auditor reads the same page with email and phone masked; a user gets 403; unknown ids 404', async () => {
      const res = await auditor.get(`/v1/admin/users/${ann.userId}`);
      expect(res.status).toBe(200);
      const local = ann.email.slice(0, ann.email.indexOf('@'));
      expect(res.body).toMatchObject({ piiMasked: true, user: { email: `${local.slice(0, 3)}***@example.com`, phone: '+6012XXXXXX9' } });
      expect(JSON.stringify(res.body)).not.toContain(ann.email);
      expect(res.body.wallets[0].balance).toBe('399.50');
      expect((await auditor.get(`/v1/admin/users?q=${local}`)).body.items[0].email).toBe(`${local.slice(0, 3)}***@example.com`);
      expect((await plain.api.get(`/v1/admin/users/${ann.userId}`)).status).toBe(403);
      expect((await admin.get(`/v1/admin/users/${randomUUID()}`)).status).toBe(404);
      expect((await admin.get('/v1/admin/users/not-a-uuid')).status).toBe(404);
    });
  });

  describe('transactions of every user', () => {
    it('lists both users’ transactions, filters by userId and the user list’s filters, and checks them', async () => {
      const all = await admin.get(`/v1/admin/transactions?from=${encodeURIComponent(started)}&limit=100`);
      expect(all.status).toBe(200);
      const ids = all.body.items.map((t: { id: string }) => t.id);
      expect(ids).toEqual(expect.arrayContaining([transferId, purchaseId]));
      const mine = await admin.get(`/v1/admin/transactions?userId=${bob.userId}`);
      expect(mine.body.items.every((t: { userId: string }) => t.userId === bob.userId)).toBe(true);
      expect(mine.body.items.map((t: { type: string }) => t.type).sort()).toEqual(['purchase', 'transfer_in']);
      const groceries = await auditor.get(`/v1/admin/transactions?userId=${bob.userId}&merchantCategory=groceries&minAmount=30&maxAmount=30`);
      expect(groceries.body).toMatchObject({ total: 1, items: [{ id: purchaseId, amount: '30.00', merchantName: 'Migros', userId: bob.userId }] });
      expect(
        (await admin.get(`/v1/admin/transactions?userId=${ann.userId}&type=transfer_out&status=completed`)).body.items.map((t: { id: string }) => t.id),
      ).toEqual([transferId]);
      for (const bad of ['userId=nope', 'type=gift', 'limit=0', 'limit=101', 'minAmount=abc', 'sortBy=password']) {
        expect([bad, (await admin.get(`/v1/admin/transactions?${bad}`)).status]).toEqual([bad, 400]);
      }
      expect((await plain.api.get('/v1/admin/transactions')).status).toBe(403);
    });

    it('shows a transfer with its journal entries: held, then posted, each balanced, with the fee leg', async () => {
      const res = await auditor.get(`/v1/admin/transactions/${transferId}`);
      expect(res.status).toBe(200);
      expect(res.body.transaction).toMatchObject({
        id: transferId,
        type: 'transfer_out',
        status: 'completed',
        amount: '100.00',
        fee: '0.50',
        userId: ann.userId,
      });
      expect(res.body.journalEntries.map((e: { phase: string }) => e.phase)).toEqual(['pending', 'post_pending']);
      for (const entry of res.body.journalEntries) {
        const sum = (d: string) =>
          entry.postings
            .filter((p: { direction: string }) => p.direction === d)
            .reduce((n: bigint, p: { amount: string }) => n + BigInt(p.amount.replace('.', '')), 0n);
        expect(sum('D')).toBe(sum('C'));
        expect(sum('D')).toBe(10050n);
      }
      const codes = res.body.journalEntries[0].postings.map((p: { accountCode: string; direction: string; amount: string }) => [
        p.accountCode.split(':')[0] + ':' + p.accountCode.split(':')[1],
        p.direction,
        p.amount,
      ]);
      expect(codes).toEqual(expect.arrayContaining([['system:fee_revenue', 'C', '0.50']]));
      expect(res.body.related).toEqual([expect.objectContaining({ type: 'transfer_in', userId: bob.userId, amount: '100.00' })]);
      // The receiving side leads to the same entries.
      const other = await admin.get(`/v1/admin/transactions/${res.body.related[0].id}`);
      expect(other.body.journalEntries.map((e: { id: string }) => e.id)).toEqual(res.body.journalEntries.map((e: { id: string }) => e.id));
      expect((await admin.get(`/v1/admin/transactions/${randomUUID()}`)).status).toBe(404);
      expect((await plain.api.get(`/v1/admin/transactions/${transferId}`)).status).toBe(403);
    });
  });

  describe('platform analytics', () => {
    it("counts this spec's CHF movements exactly, and their totals match the ledger's trial balance", async () => {
      const query = `/v1/admin/analytics?from=2020-01-01T00:00:00Z&groupBy=month`;
      const res = await waitFor(
        async () => {
          const r = await admin.get(query);
          const chf = r.body.byType?.filter((t: { currency: string }) => t.currency === 'CHF') ?? [];
          return chf.length === 3 ? r : undefined;
        },
        { timeoutMs: 30_000, what: 'analytics to project the CHF deposit, transfer and purchase' },
      );
      expect(res.status).toBe(200);
      const chf = (list: { currency: string }[]) => list.filter((l) => l.currency === 'CHF');
      expect(
        chf(res.body.byType)
          .map((t: any) => [t.type, t.count, t.volume])
          .sort(),
      ).toEqual([
        ['deposit', 1, '500.00'],
        ['purchase', 1, '30.00'],
        ['transfer_out', 1, '100.00'],
      ]);
      expect(chf(res.body.volume)).toEqual([{ currency: 'CHF', amount: '630.00' }]);
      expect(chf(res.body.feeRevenue)).toEqual([{ currency: 'CHF', amount: '0.50' }]);
      expect(res.body.topCategories).toEqual(expect.arrayContaining([{ category: 'groceries', currency: 'CHF', count: 1, volume: '30.00' }]));
      expect(res.body.totals.registrations).toBeGreaterThanOrEqual(4);
      expect(res.body.totals.activeUsers).toBeGreaterThanOrEqual(2);
      expect(res.body.totals.successRate).toBeGreaterThan(0);
      expect(res.body.cashbackExpense).toEqual([]);
      const month = res.body.series.find((s: { period: string }) => s.period === new Date().toISOString().slice(0, 7));
      expect(chf(month.volume)).toEqual([{ currency: 'CHF', amount: '630.00' }]);
      expect(chf(month.fees)).toEqual([{ currency: 'CHF', amount: '0.50' }]);

      // Every completed movement is one posted entry whose debits are its amount and fee: the books agree.
      const trial = await auditor.get('/v1/admin/ledger/trial-balance');
      const line = trial.body.items.find((l: { currency: string }) => l.currency === 'CHF');
      expect(line).toMatchObject({ totalDebits: '630.50', totalCredits: '630.50', pendingDebits: '0.00', balanced: true });
      expect(chf(res.body.pendingNow)).toEqual([]);
    });

    it('groups by day, week and month over the range asked, and refuses a bad query', async () => {
      const day = await auditor.get('/v1/admin/analytics?from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00Z&groupBy=day');
      expect(day.status).toBe(200);
      expect(day.body.series.map((s: { period: string }) => s.period)).toEqual([
        '2026-01-01',
        '2026-01-02',
        '2026-01-03',
        '2026-01-04',
        '2026-01-05',
        '2026-01-06',
        '2026-01-07',
      ]);
      const week = await auditor.get('/v1/admin/analytics?from=2026-01-05T00:00:00Z&to=2026-01-19T00:00:00Z&groupBy=week');
      expect(week.body.series.map((s: { period: string }) => s.period)).toEqual(['2026-W02', '2026-W03']);
      const defaults = await auditor.get('/v1/admin/analytics');
      expect(defaults.body).toMatchObject({ groupBy: 'day' });
      expect(defaults.body.series).toHaveLength(30);
      for (const bad of [
        'groupBy=year',
        'from=yesterday',
        'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
        'from=2000-01-01T00:00:00Z&groupBy=day',
        'userId=x',
      ]) {
        expect([bad, (await admin.get(`/v1/admin/analytics?${bad}`)).status]).toEqual([bad, 400]);
      }
      expect((await plain.api.get('/v1/admin/analytics')).status).toBe(403);
    });
  });

  describe('audit log', () => {
    it("keeps every service's admin actions and identity's security events, with actor, IP and user agent", async () => {
      const ua = { 'User-Agent': `tally-e2e-audit-${randomUUID().slice(0, 8)}` };
      const rules = (await admin.get('/v1/admin/fraud/rules')).body.items;
      const offHours = rules.find((r: { code: string }) => r.code === 'off_hours');
      // Same weight again: nothing changes for other specs, but it is an admin action all the same.
      expect((await admin.request('PATCH', '/v1/admin/fraud/rules/off_hours', { weight: offHours.weight }, ua)).status).toBe(200);
      expect((await admin.request('POST', `/v1/admin/users/${plain.userId}/suspend`, { reason: 'audit spec' }, ua)).status).toBe(200);
      expect((await admin.request('POST', '/v1/admin/ledger/verifications', undefined, { ...ua, 'Idempotency-Key': randomUUID() })).status).toBe(202);

      const mine = await waitFor(
        async () => {
          const r = await auditor.get(`/v1/admin/audit-logs?actorId=${adminId}&from=${encodeURIComponent(started)}&limit=100`);
          const actions = r.body.items.filter((e: { userAgent: string | null }) => e.userAgent === ua['User-Agent']).map((e: { action: string }) => e.action);
          return ['fraud.rule.updated', 'user_suspended', 'ledger.verification.started'].every((a) => actions.includes(a)) ? r : undefined;
        },
        { timeoutMs: 30_000, what: 'the three admin actions in the audit log' },
      );
      const entries = mine.body.items.filter((e: { userAgent: string | null }) => e.userAgent === ua['User-Agent']);
      expect(entries.every((e: { actorId: string; ip: string | null }) => e.actorId === adminId && !!e.ip)).toBe(true);
      const byAction = Object.fromEntries(entries.map((e: { action: string }) => [e.action, e]));
      expect(byAction['fraud.rule.updated']).toMatchObject({ source: 'fraud', targetType: 'fraud_rule', targetId: 'off_hours' });
      expect(byAction.user_suspended).toMatchObject({ source: 'identity', subjectUserId: plain.userId, targetId: plain.userId });
      expect(byAction['ledger.verification.started']).toMatchObject({ source: 'ledger', targetType: 'verification_run' });

      // Filters: by action, by the user it touched, by time; newest first unless asked otherwise.
      const suspensions = await auditor.get(`/v1/admin/audit-logs?action=user_suspended&userId=${plain.userId}`);
      expect(suspensions.body.items.map((e: { action: string }) => e.action)).toEqual(['user_suspended']);
      const logins = await auditor.get(`/v1/admin/audit-logs?userId=${ann.userId}&action=login_succeeded`);
      expect(logins.body.items[0]).toMatchObject({ source: 'identity', actorId: ann.userId, action: 'login_succeeded' });
      const future = await auditor.get(`/v1/admin/audit-logs?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
      expect(future.body).toMatchObject({ items: [], total: 0 });
      const ascending = await auditor.get(`/v1/admin/audit-logs?from=${encodeURIComponent(started)}&sortOrder=asc&limit=100`);
      const times = ascending.body.items.map((e: { occurredAt: string }) => e.occurredAt);
      expect([...times].sort()).toEqual(times);
      for (const bad of ['actorId=nope', 'action=DROP%20TABLE', 'from=later', 'limit=500', 'secret=1']) {
        expect([bad, (await admin.get(`/v1/admin/audit-logs?${bad}`)).status]).toEqual([bad, 400]);
      }
      expect((await plain.api.get('/v1/admin/audit-logs')).status).toBe(403);
      expect((await admin.post(`/v1/admin/users/${plain.userId}/activate`, {}, null)).status).toBe(200);
    });

    it('the auditor reads every part of it and changes nothing: its attempts are refused and leave no trace', async () => {
      for (const [method, path, body] of [
        ['POST', `/v1/admin/users/${bob.userId}/suspend`, { reason: 'x' }],
        ['PATCH', '/v1/admin/fraud/rules/off_hours', { weight: 99 }],
        ['POST', '/v1/admin/ledger/verifications', undefined],
        ['POST', `/v1/admin/transactions/${purchaseId}/reversal`, { reason: 'x' }],
      ] as const) {
        const res = await auditor.request(method, path, body, { 'Idempotency-Key': randomUUID() });
        expect({ path, status: res.status, error: res.body?.error }).toEqual({ path, status: 403, error: 'FORBIDDEN' });
      }
      expect((await admin.get(`/v1/admin/users/${bob.userId}`)).body.user.status).toBe('active');
      expect((await admin.get('/v1/admin/fraud/rules')).body.items.find((r: { code: string }) => r.code === 'off_hours').weight).not.toBe(99);
      expect((await admin.get(`/v1/admin/transactions/${purchaseId}`)).body.transaction.status).toBe('completed');
      const byAuditor = await admin.get(`/v1/admin/audit-logs?actorId=${auditorId}&limit=100`);
      expect(byAuditor.body.items.filter((e: { source: string }) => e.source !== 'identity')).toEqual([]);
    });
  });
});
