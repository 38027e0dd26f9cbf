import { randomUUID } from 'node:crypto';
import { ApiClient, ApiResponse, waitFor } from '@tally/testing';
import { enrolTotp, logInAdmin, signInWithTotp, signUp, signUpUser } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

const SOME_ID = '0192e4a0-7b1c-7def-8abc-0123456789ab';

/**
 * Who may do what, over the routes served today: user A can neither read nor act on user B's
 * wallets, transactions and notifications (404, never B's data, nothing changes); a `user` gets 403
 * on every admin route; no token gets 401 on every protected route. The protected and admin routes
 * are read from the served OpenAPI document, so a new route is covered when it lands.
 */
describe('authorization matrix', () => {
  const api = new ApiClient(GATEWAY_URL);
  let a: ApiClient;
  let b: ApiClient;
  let bWallet: { id: string; walletNumber: string };
  let aWallet: { id: string; walletNumber: string };
  let bPurchaseId: string;
  let bNotificationId: string;
  let document: any;

  beforeAll(async () => {
    a = await signUp(api, 'alice');
    b = await signUp(api, 'bruno');
    const opened = await b.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect(opened.status).toBe(201);
    bWallet = opened.body;
    aWallet = (await a.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body;
    expect((await b.post(`/v1/wallets/${bWallet.id}/deposits`, { amount: '100.00' })).status).toBe(201);
    const purchase = await b.post('/v1/payments', {
      walletId: bWallet.id,
      amount: '10.00',
      merchantName: 'Kopi',
      merchantCategory: 'food_beverage',
      pin: '2580',
    });
    expect([201, 202]).toContain(purchase.status);
    bPurchaseId = purchase.body.id;
    bNotificationId = await waitFor(
      async () => {
        const res = await b.get('/v1/me/notifications');
        return res.body?.items?.[0]?.id as string | undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: "B's first notification" },
    );
    document = (await api.get('/docs-json')).body;
  }, 60_000);

  /** 404 NOT_FOUND in the api-v1 format, and nothing of B's in the answer. */
  function expectNotFound(res: ApiResponse, what: string): void {
    expect({ what, status: res.status, error: res.body?.error }).toEqual({ what, status: 404, error: 'NOT_FOUND' });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(bWallet.walletNumber);
    expect(text).not.toContain('100.00');
  }

  it("A cannot read or act on B's wallet: every route answers 404 and B's wallet is unchanged", async () => {
    const before = (await b.get(`/v1/wallets/${bWallet.id}`)).body;
    const attempts: [string, Promise<ApiResponse>][] = [
      ['get wallet', a.get(`/v1/wallets/${bWallet.id}`)],
      ['balance', a.get(`/v1/wallets/${bWallet.id}/balance`)],
      ['balance as of', a.get(`/v1/wallets/${bWallet.id}/balance?asOf=${encodeURIComponent(new Date().toISOString())}`)],
      ['deposit', a.post(`/v1/wallets/${bWallet.id}/deposits`, { amount: '1.00' })],
      ['withdrawal', a.post(`/v1/wallets/${bWallet.id}/withdrawals`, { amount: '1.00', pin: '2580' })],
      ['transfer from', a.post('/v1/transfers', { fromWalletId: bWallet.id, toWalletNumber: aWallet.walletNumber, amount: '1.00', pin: '2580' })],
      ['payment from', a.post('/v1/payments', { walletId: bWallet.id, amount: '1.00', merchantName: 'X', merchantCategory: 'shopping', pin: '2580' })],
      ['pin change', a.request('PUT', `/v1/wallets/${bWallet.id}/pin`, { oldPin: '2580', newPin: '9182' })],
      ['freeze', a.post(`/v1/wallets/${bWallet.id}/freeze`, {}, null)],
      ['unfreeze', a.post(`/v1/wallets/${bWallet.id}/unfreeze`, {}, null)],
      ['close', a.post(`/v1/wallets/${bWallet.id}/close`, {}, null)],
    ];
    for (const [what, attempt] of attempts) expectNotFound(await attempt, what);
    // A's list never shows B's wallet.
    expect((await a.get('/v1/wallets')).body.items.map((w: { id: string }) => w.id)).toEqual([aWallet.id]);
    // Nothing changed: same balance, still active, and B's PIN is still 1234 (a transfer with it works).
    const after = (await b.get(`/v1/wallets/${bWallet.id}`)).body;
    expect(after).toMatchObject({ balance: before.balance, available: before.available, status: 'active' });
    const own = await b.post('/v1/transfers', { fromWalletId: bWallet.id, toWalletNumber: aWallet.walletNumber, amount: '1.00', pin: '2580' });
    expect([201, 202]).toContain(own.status);
  });

  it("A cannot read, refund or list B's transactions", async () => {
    expectNotFound(await a.get(`/v1/transactions/${bPurchaseId}`), 'get transaction');
    expectNotFound(await a.post(`/v1/transactions/${bPurchaseId}/refunds`, { amount: '1.00' }), 'refund');
    expectNotFound(await a.get(`/v1/transactions?walletId=${bWallet.id}`), 'list by wallet');
    const mine = await a.get('/v1/transactions');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((t: { walletId: string }) => t.walletId).filter((w: string) => w !== aWallet.id)).toEqual([]);
    expect((await b.get(`/v1/transactions/${bPurchaseId}`)).body).toMatchObject({ id: bPurchaseId, refundedAmount: '0.00' });
  });

  it("A cannot mark B's notification read, nor see it", async () => {
    expectNotFound(await a.post(`/v1/me/notifications/${bNotificationId}/read`, {}, null), 'mark read');
    const mine = await a.get('/v1/me/notifications');
    expect(mine.body.items.map((n: { id: string }) => n.id)).not.toContain(bNotificationId);
    const theirs = await b.get('/v1/me/notifications?unread=true');
    expect(theirs.body.items.map((n: { id: string }) => n.id)).toContain(bNotificationId);
  });

  it('a user gets 403 FORBIDDEN on every admin route', async () => {
    const adminRoutes = operations().filter((o) => o.path.startsWith('/v1/admin/'));
    expect(adminRoutes.length).toBeGreaterThanOrEqual(6);
    for (const route of adminRoutes) {
      const res = await a.request<any>(route.method, route.concretePath, route.method === 'GET' ? undefined : { reason: 'test' }, {
        'Idempotency-Key': randomUUID(),
      });
      expect({ route: route.name, status: res.status, error: res.body?.error }).toEqual({ route: route.name, status: 403, error: 'FORBIDDEN' });
    }
  });

  it('an auditor reads every admin GET route and gets 403 FORBIDDEN on every admin route that acts', async () => {
    const admin = await logInAdmin(api);
    const carol = await signUpUser(api, 'carol');
    // An auditor signs in with a second factor: TOTP first, then the role.
    const { secret } = await enrolTotp(carol);
    const granted = await admin.post(`/v1/admin/users/${carol.userId}/roles`, { roles: ['user', 'auditor'] });
    expect(granted.status).toBe(200);
    const auditor = await signInWithTotp(api, carol, secret);
    expect((await auditor.get('/v1/me')).body.roles).toEqual(['user', 'auditor']);

    const adminRoutes = operations().filter((o) => o.path.startsWith('/v1/admin/'));
    const reads = adminRoutes.filter((r) => r.method === 'GET');
    expect(reads.length).toBeGreaterThanOrEqual(6);
    for (const route of reads) {
      const res = await auditor.get<any>(route.concretePath);
      // Routes naming an id answer 404 for the made-up one; the role itself is let through.
      expect({ route: route.name, status: res.status }).toEqual({ route: route.name, status: route.path.includes('{') ? 404 : 200 });
    }
    for (const route of adminRoutes.filter((r) => r.method !== 'GET')) {
      const res = await auditor.request<any>(
        route.method,
        route.concretePath,
        { reason: 'test', roles: ['user', 'admin'] },
        { 'Idempotency-Key': randomUUID() },
      );
      expect({ route: route.name, status: res.status, error: res.body?.error }).toEqual({ route: route.name, status: 403, error: 'FORBIDDEN' });
    }
    // The auditor could not make itself an admin.
    expect((await auditor.get('/v1/me')).body.roles).toEqual(['user', 'auditor']);
  });

  it('no token (or a forged one) gets 401 UNAUTHENTICATED on every protected route', async () => {
    const protectedRoutes = operations().filter((o) => o.secured);
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(20);
    const forged = api.as(`${a.token?.slice(0, -4)}AAAA`);
    for (const route of protectedRoutes) {
      for (const [who, client] of [
        ['no token', api],
        ['forged token', forged],
      ] as const) {
        const res = await client.request<any>(route.method, route.concretePath, route.method === 'GET' ? undefined : {}, { 'Idempotency-Key': randomUUID() });
        expect({ route: route.name, who, status: res.status, error: res.body?.error }).toEqual({
          route: route.name,
          who,
          status: 401,
          error: 'UNAUTHENTICATED',
        });
      }
    }
    // And the open ones stay open.
    for (const path of ['/v1/currencies', '/v1/transaction-types', '/v1/wallet-statuses']) expect((await api.get(path)).status).toBe(200);
  });

  function operations(): { name: string; method: string; path: string; concretePath: string; secured: boolean }[] {
    return Object.entries(document.paths as Record<string, Record<string, { security?: unknown[] }>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        concretePath: path.replace(/\{[^}]+\}/g, SOME_ID),
        secured: (op.security ?? []).length > 0,
      })),
    );
  }
});
