import { waitFor } from '@tally/testing';
import { anonymous, signUpWithSdk, withKey } from './sdk-users';

/** GET /v1/transactions: the caller's own transactions, with api-v1's filters, sorting and pages (through the SDK). */
describe('transaction listing through the gateway', () => {
  it('filters, sorts and pages the caller’s transactions and shows no one else’s', async () => {
    const eve = await signUpWithSdk('eve');
    const wallet = await eve.POST('/v1/wallets', { params: withKey(), body: { currency: 'USD', pin: '2580' } });
    expect(wallet.response.status).toBe(201);
    const walletId = wallet.data?.id as string;
    for (const amount of ['10.00', '20.00', '30.00']) {
      expect((await eve.POST('/v1/wallets/{id}/deposits', { params: { ...withKey(), path: { id: walletId } }, body: { amount } })).response.status).toBe(201);
    }
    const paid = await eve.POST('/v1/payments', {
      params: withKey(),
      body: { walletId, amount: '12.50', merchantName: 'Kopi', merchantCategory: 'food_beverage', pin: '2580' },
    });
    expect([201, 202]).toContain(paid.response.status);
    const paidId = paid.data?.id as string;
    await waitFor(
      async () => ((await eve.GET('/v1/transactions/{id}', { params: { path: { id: paidId } } })).data?.status === 'completed' ? true : undefined),
      {
        what: 'the purchase to complete',
      },
    );
    const list = async (query: Record<string, string | number>) => (await eve.GET('/v1/transactions', { params: { query } })).data;
    const amounts = (page: Awaited<ReturnType<typeof list>>) => page?.items.map((t) => t.amount);

    const all = await eve.GET('/v1/transactions');
    expect(all.response.status).toBe(200);
    expect(all.data).toMatchObject({ total: 4, limit: 50, offset: 0 });
    expect(all.data?.items[0].id).toBe(paidId); // newest first by default

    expect(amounts(await list({ walletId, type: 'deposit', sortBy: 'amount', sortOrder: 'asc' }))).toEqual(['10.00', '20.00', '30.00']);
    const page = await list({ type: 'deposit', sortBy: 'amount', sortOrder: 'desc', limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(amounts(page)).toEqual(['20.00']);
    expect(amounts(await list({ minAmount: '12.50', maxAmount: '20' }))?.sort()).toEqual(['12.50', '20.00']);
    const food = await list({ merchantCategory: 'food_beverage', status: 'completed' });
    expect(food?.items).toHaveLength(1);
    expect(food?.items[0]).toMatchObject({ type: 'purchase', merchantName: 'Kopi' });
    expect(await list({ from: new Date(Date.now() + 3_600_000).toISOString() })).toMatchObject({ total: 0, items: [] });

    // Someone else sees none of them, and naming eve's wallet is 404 like reading it.
    const mallory = await signUpWithSdk('mallory');
    expect((await mallory.GET('/v1/transactions')).data).toMatchObject({ total: 0, items: [] });
    const theirs = await mallory.GET('/v1/transactions', { params: { query: { walletId } } });
    expect(theirs.response.status).toBe(404);
    expect(theirs.error).toMatchObject({ error: 'NOT_FOUND' });

    const bad = await eve.GET('/v1/transactions', { params: { query: { limit: 500, sortBy: 'password', type: 'gift' } } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.error).toBe('VALIDATION_FAILED');
    expect(Object.keys(bad.error?.details ?? {}).sort()).toEqual(['limit', 'sortBy', 'type']);

    expect((await anonymous.GET('/v1/transactions')).response.status).toBe(401);
  });
});
