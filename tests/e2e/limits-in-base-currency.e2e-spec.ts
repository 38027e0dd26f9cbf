import { ApiClient, ApiResponse, daytimeZone, waitFor } from '@tally/testing';
import { logInAdmin, signUp, signUpUser } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * Limits and fraud value every amount in the base currency (MYR), at the stored rates
 * (USD 4.70, GBP 5.50, JPY 0.030): the per-transaction maximum of 50,000 MYR equivalent, the
 * per-user 100,000 MYR a day across wallets, fraud's high-value rule above 10,000 MYR, a new
 * wallet's default limits worth the same in every currency and capped by the platform's. Rates
 * are data: admins change them with a reason, audited.
 */
describe('limits and fraud in the base currency', () => {
  const api = new ApiClient(GATEWAY_URL);
  const zone = daytimeZone();
  let admin: ApiClient;

  beforeAll(async () => {
    admin = await logInAdmin(api);
  });

  async function fundedWallet(user: ApiClient, currency: string, deposits: string[], limits: Record<string, string> = {}): Promise<string> {
    const wallet = await user.post('/v1/wallets', { currency, pin: '2580', timeZone: zone, ...limits });
    expect(wallet.status).toBe(201);
    for (const amount of deposits) expect((await user.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount })).status).toBe(201);
    return wallet.body.id;
  }

  const pay = (user: ApiClient, walletId: string, amount: string, merchantName: string): Promise<ApiResponse> =>
    user.post('/v1/payments', { walletId, amount, merchantName, merchantCategory: 'electronics', pin: '2580' });

  /** Fraud's score and flags, as an admin sees them once fraud has scored the purchase. */
  async function scored(id: string): Promise<{ fraudScore: number; fraudFlags: string[]; status: string }> {
    return waitFor(
      async () => {
        const t = (await admin.get(`/v1/admin/transactions/${id}`)).body;
        const tx = t.transaction ?? t;
        return typeof tx.fraudScore === 'number' ? tx : undefined;
      },
      { what: `fraud's score of ${id}` },
    );
  }

  it('accepts a 20,000 MYR purchase, and flags a 12,000 MYR one HIGH_VALUE', async () => {
    const user = await signUp(api, 'myr-shopper');
    const walletId = await fundedWallet(user, 'MYR', ['40000.00'], { dailyLimit: '50000', monthlyLimit: '100000' });
    const big = await pay(user, walletId, '20000.00', 'Pavilion Electronics');
    expect([201, 202]).toContain(big.status);
    const high = await pay(user, walletId, '12000.00', 'Mid Valley Gadgets');
    expect([201, 202]).toContain(high.status);
    expect((await scored(high.body.id)).fraudFlags).toContain('HIGH_VALUE');
    // Above 50,000 MYR: refused before anything is held.
    const tooBig = await pay(user, walletId, '50000.01', 'Pavilion Electronics');
    expect([tooBig.status, tooBig.body.error, tooBig.body.details]).toEqual([
      400,
      'INVALID_AMOUNT',
      { limit: 'perTransactionMax', max: '50000.00', currency: 'MYR' },
    ]);
  });

  it('counts a GBP purchase against the per-user daily limit in MYR, and scores 2,000 GBP (11,000 MYR) as high value', async () => {
    const user = await signUp(api, 'gbp-shopper');
    const myr = await fundedWallet(user, 'MYR', ['45000.00', '45000.00'], { dailyLimit: '100000', monthlyLimit: '200000' });
    const gbp = await fundedWallet(user, 'GBP', ['9000.00'], { dailyLimit: '18000', monthlyLimit: '36000' });
    for (const shop of ['Suria KLCC', 'The Gardens Mall']) expect([201, 202]).toContain((await pay(user, myr, '45000.00', shop)).status);
    // 90,000 MYR spent today: 2,000 GBP (11,000 MYR) would pass 100,000 MYR; 1,000 GBP (5,500 MYR) does not.
    const over = await pay(user, gbp, '2000.00', 'Harrods');
    expect([over.status, over.body.error, over.body.details?.limit, over.body.details?.currency]).toEqual([422, 'LIMIT_EXCEEDED', 'user_daily', 'MYR']);
    const within = await pay(user, gbp, '1000.00', 'Harrods');
    expect([201, 202]).toContain(within.status);

    const other = await signUp(api, 'gbp-big');
    const gbpWallet = await fundedWallet(other, 'GBP', ['3000.00'], { dailyLimit: '10000', monthlyLimit: '20000' });
    const highValue = await pay(other, gbpWallet, '2000.00', 'Selfridges');
    expect([201, 202]).toContain(highValue.status);
    expect((await scored(highValue.body.id)).fraudFlags).toContain('HIGH_VALUE');
  });

  it("gives a JPY wallet default limits worth a MYR or USD wallet's, and caps what a user asks for", async () => {
    const user = await signUp(api, 'limits');
    const open = (currency: string, extra: Record<string, string> = {}) => user.post('/v1/wallets', { currency, pin: '2580', ...extra });
    const usd = (await open('USD')).body;
    const myr = (await open('MYR')).body;
    const jpy = (await open('JPY')).body;
    // 1,000 USD a day (the wallet seed's default) = 4,700 MYR = 156,667 JPY; the month ten times that.
    expect([usd.dailyLimit, usd.monthlyLimit]).toEqual(['1000.00', '10000.00']);
    expect([myr.dailyLimit, myr.monthlyLimit]).toEqual(['4700.00', '47000.00']);
    expect([jpy.dailyLimit, jpy.monthlyLimit]).toEqual(['156667', '1566667']);

    const above = await open('MYR', { dailyLimit: '100000.01' });
    expect([above.status, above.body.error, above.body.details]).toEqual([
      400,
      'VALIDATION_FAILED',
      { field: 'dailyLimit', max: '100000.00', currency: 'MYR' },
    ]);
    expect((await open('MYR', { dailyLimit: '100000', monthlyLimit: '3100000' })).status).toBe(201);
  });

  it('lets an admin read and set a rate with a reason, audited; a user may do neither', async () => {
    const listed = await admin.get('/v1/admin/fx-rates');
    expect(listed.status).toBe(200);
    const pairs = new Map((listed.body as { base: string; quote: string; rate: string }[]).map((r) => [`${r.base}/${r.quote}`, r.rate]));
    expect(pairs.get('GBP/MYR')).toBe('5.50');
    expect(pairs.get('JPY/MYR')).toBe('0.030');

    const user = await signUpUser(api, 'rate-setter');
    expect((await user.api.get('/v1/admin/fx-rates')).status).toBe(403);
    expect((await user.api.request('PUT', '/v1/admin/fx-rates', { base: 'GBP', quote: 'MYR', rate: '9.99', reason: 'mine' })).status).toBe(403);

    const bad = await admin.request('PUT', '/v1/admin/fx-rates', { base: 'GBP', quote: 'MYR', rate: '0', reason: 'zero' });
    expect([bad.status, bad.body.error]).toEqual([400, 'VALIDATION_FAILED']);
    const inverted = await admin.request('PUT', '/v1/admin/fx-rates', { base: 'MYR', quote: 'GBP', rate: '0.18', reason: 'the other way' });
    expect([inverted.status, inverted.body.error]).toEqual([409, 'CONFLICT']);

    const set = await admin.request('PUT', '/v1/admin/fx-rates', { base: 'GBP', quote: 'MYR', rate: '5.52', reason: 'Reference rate of the day' });
    expect([set.status, set.body.base, set.body.quote, set.body.rate]).toEqual([200, 'GBP', 'MYR', '5.52']);
    try {
      const audited = await waitFor(
        async () => {
          const log = (await admin.get('/v1/admin/audit-logs?action=ledger.fx_rate.set&limit=100')).body;
          return log.items?.find((e: { targetId?: string; reason?: string }) => e.targetId === 'GBP/MYR' && e.reason === 'Reference rate of the day');
        },
        { what: 'the rate change in the audit log' },
      );
      expect(audited.details).toMatchObject({ oldRate: '5.50', newRate: '5.52' });
    } finally {
      expect((await admin.request('PUT', '/v1/admin/fx-rates', { base: 'GBP', quote: 'MYR', rate: '5.50', reason: 'Back to the reference rate' })).status).toBe(
        200,
      );
    }
  });
});
