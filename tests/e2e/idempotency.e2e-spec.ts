import { randomUUID } from 'node:crypto';
import { ApiClient } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * Idempotency-Key on the creating and money-moving POSTs (api-v1): the same key and body answer
 * the first answer again (status and body, marked Idempotent-Replayed), another body is 409
 * IDEMPOTENCY_KEY_REUSED, concurrent twins have one effect, and only successes are remembered.
 */
describe('Idempotency-Key through the gateway', () => {
  const api = new ApiClient(GATEWAY_URL);

  async function openWallet(user: ApiClient, deposit?: string): Promise<{ id: string; walletNumber: string }> {
    const opened = await user.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect(opened.status).toBe(201);
    if (deposit) expect((await user.post(`/v1/wallets/${opened.body.id}/deposits`, { amount: deposit })).status).toBe(201);
    return opened.body;
  }

  it('opening a wallet twice with one key: one wallet, the same 201 answer, marked as a replay', async () => {
    const ann = await signUp(api, 'idem-open');
    const key = randomUUID();
    const first = await ann.post('/v1/wallets', { currency: 'USD', pin: '2580' }, key);
    const again = await ann.post('/v1/wallets', { currency: 'USD', pin: '2580' }, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await ann.get('/v1/wallets')).body.total).toBe(1);
  });

  it('the same key with another body is 409 IDEMPOTENCY_KEY_REUSED, for a wallet, a deposit and a transfer', async () => {
    const ann = await signUp(api, 'idem-reuse');
    const walletKey = randomUUID();
    const wallet = await ann.post('/v1/wallets', { currency: 'USD', pin: '2580' }, walletKey);
    const otherWallet = await ann.post('/v1/wallets', { currency: 'EUR', pin: '2580' }, walletKey);
    expect(otherWallet.status).toBe(409);
    expect(otherWallet.body).toMatchObject({ error: 'IDEMPOTENCY_KEY_REUSED', path: '/v1/wallets', requestId: expect.any(String) });

    const depositKey = randomUUID();
    expect((await ann.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '10.00' }, depositKey)).status).toBe(201);
    const otherAmount = await ann.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount: '10.01' }, depositKey);
    expect(otherAmount.status).toBe(409);
    expect(otherAmount.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    // The key on another route is another request too.
    const bob = await openWallet(await signUp(api, 'idem-peer'));
    const transfer = await ann.post(
      '/v1/transfers',
      { fromWalletId: wallet.body.id, toWalletNumber: bob.walletNumber, amount: '1.00', pin: '2580' },
      depositKey,
    );
    expect(transfer.status).toBe(409);
    expect(transfer.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await ann.get(`/v1/wallets/${wallet.body.id}/balance`)).body).toMatchObject({ balance: '10.00' });
  });

  it('a transfer replayed answers the first status and body, and moves money once', async () => {
    const ann = await signUp(api, 'idem-transfer');
    const from = await openWallet(ann, '20.00');
    const to = await openWallet(await signUp(api, 'idem-payee'));
    const key = randomUUID();
    const body = { fromWalletId: from.id, toWalletNumber: to.walletNumber, amount: '5.00', pin: '2580' };
    const first = await ann.post('/v1/transfers', body, key);
    expect([201, 202]).toContain(first.status);
    const again = await ann.post('/v1/transfers', body, key);
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    const sent = await ann.get(`/v1/transactions?walletId=${from.id}&type=transfer_out`);
    expect(sent.body.items.map((t: { id: string }) => t.id)).toEqual([first.body.id]);
  });

  it('keys belong to their user: another user with the same key gets a wallet of their own', async () => {
    const key = randomUUID();
    const ann = await signUp(api, 'idem-scope-a');
    const bob = await signUp(api, 'idem-scope-b');
    const annWallet = await ann.post('/v1/wallets', { currency: 'USD', pin: '2580' }, key);
    const bobWallet = await bob.post('/v1/wallets', { currency: 'USD', pin: '2580' }, key);
    expect([annWallet.status, bobWallet.status]).toEqual([201, 201]);
    expect(bobWallet.body.id).not.toBe(annWallet.body.id);
    expect(bobWallet.headers.get('idempotent-replayed')).toBeNull();
  });

  it('concurrent requests with one key: one effect, every caller gets the same answer', async () => {
    const ann = await signUp(api, 'idem-concurrent');
    const walletKey = randomUUID();
    const opens = await Promise.all(Array.from({ length: 5 }, () => ann.post('/v1/wallets', { currency: 'USD', pin: '2580' }, walletKey)));
    expect(opens.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(opens.map((r) => r.body.id)).size).toBe(1);
    expect((await ann.get('/v1/wallets')).body.total).toBe(1);
    expect(opens.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);

    const walletId = opens[0].body.id;
    const depositKey = randomUUID();
    const deposits = await Promise.all(Array.from({ length: 6 }, () => ann.post(`/v1/wallets/${walletId}/deposits`, { amount: '7.00' }, depositKey)));
    expect(deposits.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(new Set(deposits.map((r) => r.body.id)).size).toBe(1);
    expect((await ann.get(`/v1/wallets/${walletId}/balance`)).body).toMatchObject({ balance: '7.00' });
  });

  it('a refused request is not remembered: the same key succeeds once the reason is gone', async () => {
    const ann = await signUp(api, 'idem-retry');
    const from = await openWallet(ann);
    const to = await openWallet(await signUp(api, 'idem-retry-payee'));
    const key = randomUUID();
    const body = { fromWalletId: from.id, toWalletNumber: to.walletNumber, amount: '5.00', pin: '2580' };
    const broke = await ann.post('/v1/transfers', body, key);
    expect(broke.status).toBe(422);
    expect(broke.body.error).toBe('INSUFFICIENT_FUNDS');
    expect((await ann.post(`/v1/wallets/${from.id}/deposits`, { amount: '10.00' })).status).toBe(201);
    const retried = await ann.post('/v1/transfers', body, key);
    expect([201, 202]).toContain(retried.status);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a creating POST without a key is 400 VALIDATION_FAILED and creates nothing', async () => {
    const ann = await signUp(api, 'idem-missing');
    const res = await ann.post('/v1/wallets', { currency: 'USD', pin: '2580' }, null);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', message: expect.stringContaining('Idempotency-Key') });
    expect((await ann.get('/v1/wallets')).body.total).toBe(0);
  });
});
