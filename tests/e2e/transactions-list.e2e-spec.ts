import { ApiClient, waitFor } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/** GET /v1/transactions: the caller's own transactions, with api-v1's filters, sorting and pages. */
describe('transaction listing through the gateway', () => {
  const api = new ApiClient(GATEWAY_URL);

  it('filters, sorts and pages the caller’s transactions and shows no one else’s', async () => {
    const eve = await signUp(api, 'eve');
    const wallet = await eve.post('/v1/wallets', { currency: 'USD', pin: '1234' });
    expect(wallet.status).toBe(201);
    const walletId = wallet.body.id;
    for (const amount of ['10.00', '20.00', '30.00']) {
      expect((await eve.post(`/v1/wallets/${walletId}/deposits`, { amount })).status).toBe(201);
    }
    const paid = await eve.post('/v1/payments', { walletId, amount: '12.50', merchantName: 'Kopi', merchantCategory: 'food_beverage', pin: '1234' });
    expect([201, 202]).toContain(paid.status);
    await waitFor(async () => ((await eve.get(`/v1/transactions/${paid.body.id}`)).body.status === 'completed' ? true : undefined), {
      what: 'the purchase to complete',
    });

    const all = await eve.get('/v1/transactions');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 4, limit: 50, offset: 0 });
    expect(all.body.items[0].id).toBe(paid.body.id); // newest first by default

    const deposits = await eve.get(`/v1/transactions?walletId=${walletId}&type=deposit&sortBy=amount&sortOrder=asc`);
    expect(deposits.body.items.map((t: { amount: string }) => t.amount)).toEqual(['10.00', '20.00', '30.00']);

    const page = await eve.get('/v1/transactions?type=deposit&sortBy=amount&sortOrder=desc&limit=1&offset=1');
    expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.body.items.map((t: { amount: string }) => t.amount)).toEqual(['20.00']);

    const range = await eve.get('/v1/transactions?minAmount=12.50&maxAmount=20');
    expect(range.body.items.map((t: { amount: string }) => t.amount).sort()).toEqual(['12.50', '20.00']);

    const food = await eve.get('/v1/transactions?merchantCategory=food_beverage&status=completed');
    expect(food.body.items).toHaveLength(1);
    expect(food.body.items[0]).toMatchObject({ type: 'purchase', merchantName: 'Kopi' });

    const future = await eve.get(`/v1/transactions?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect(future.body).toMatchObject({ total: 0, items: [] });

    // Someone else sees none of them, and naming eve's wallet is 404 like reading it.
    const mallory = await signUp(api, 'mallory');
    expect((await mallory.get('/v1/transactions')).body).toMatchObject({ total: 0, items: [] });
    const theirs = await mallory.get(`/v1/transactions?walletId=${walletId}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toMatchObject({ error: 'NOT_FOUND' });

    const bad = await eve.get('/v1/transactions?limit=500&sortBy=password&type=gift');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('VALIDATION_FAILED');
    expect(Object.keys(bad.body.details).sort()).toEqual(['limit', 'sortBy', 'type']);

    expect((await api.get('/v1/transactions')).status).toBe(401);
  });
});
