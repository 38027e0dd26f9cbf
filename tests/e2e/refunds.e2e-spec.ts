import { randomUUID } from 'node:crypto';
import { ApiClient, waitFor } from '@tally/testing';
import { logInAdmin, signUp, signUpMerchant } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * Refunds of a purchase and an admin's reversal of a transfer, over HTTP through the gateway, the
 * ledger and fraud (which approves the held purchase and transfer).
 */
describe('refunds and reversals through the gateway', () => {
  const api = new ApiClient(GATEWAY_URL);

  async function fundedWallet(user: ApiClient, amount: string): Promise<{ id: string; walletNumber: string }> {
    const wallet = await user.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect(wallet.status).toBe(201);
    expect((await user.post(`/v1/wallets/${wallet.body.id}/deposits`, { amount })).status).toBe(201);
    return wallet.body;
  }

  /** Waits out a 202 (still held) until fraud's decision has settled the transaction. */
  async function completed(user: ApiClient, res: { status: number; body: { id: string; status: string } }): Promise<string> {
    expect([201, 202]).toContain(res.status);
    await waitFor(async () => ((await user.get(`/v1/transactions/${res.body.id}`)).body.status === 'completed' ? true : undefined), {
      what: `transaction ${res.body.id} to complete`,
    });
    return res.body.id;
  }

  it('refunds a purchase in parts up to its amount, and hides it from anyone else', async () => {
    const ann = await signUp(api, 'ann');
    const bob = await signUp(api, 'bob');
    const wallet = await fundedWallet(ann, '100.00');
    const paid = await ann.post('/v1/payments', {
      walletId: wallet.id,
      amount: '40.00',
      merchantName: 'Book Shop',
      merchantCategory: 'shopping',
      pin: '2580',
    });
    const purchaseId = await completed(ann, paid);
    const shop = await signUpMerchant(api, 'book-shop');

    // The payer cannot take the money back from the merchant; the merchant's key (refunds:write) can.
    const byPayer = await ann.post(`/v1/transactions/${purchaseId}/refunds`, { amount: '1.00' });
    expect([byPayer.status, byPayer.body.error]).toEqual([403, 'FORBIDDEN']);
    const part = await shop.post(`/v1/transactions/${purchaseId}/refunds`, { amount: '15.00', reason: 'one book was damaged' });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({
      type: 'refund',
      status: 'completed',
      amount: '15.00',
      currency: 'USD',
      originalTransactionId: purchaseId,
      description: 'one book was damaged',
    });
    expect((await ann.get(`/v1/transactions/${purchaseId}`)).body).toMatchObject({ status: 'completed', refundedAmount: '15.00' });
    expect((await ann.get(`/v1/transactions/${part.body.id}`)).body).toMatchObject({ type: 'refund', amount: '15.00' });

    const tooMuch = await shop.post(`/v1/transactions/${purchaseId}/refunds`, { amount: '25.01' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ error: 'REFUND_EXCEEDS_ORIGINAL', path: `/v1/transactions/${purchaseId}/refunds` });

    const stranger = await bob.post(`/v1/transactions/${purchaseId}/refunds`, { amount: '1.00' });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toBe('NOT_FOUND');

    const noKey = await shop.post(`/v1/transactions/${purchaseId}/refunds`, { amount: '1.00' }, null);
    expect(noKey.status).toBe(400);

    // The same key and body replay the first answer; nothing is refunded twice.
    const key = randomUUID();
    const rest = await shop.post(`/v1/transactions/${purchaseId}/refunds`, {}, key);
    expect(rest.status).toBe(201);
    expect(rest.body.amount).toBe('25.00');
    const replay = await shop.post(`/v1/transactions/${purchaseId}/refunds`, {}, key);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(rest.body.id);

    expect((await ann.get(`/v1/transactions/${purchaseId}`)).body.refundedAmount).toBe('40.00');
    expect((await ann.get(`/v1/wallets/${wallet.id}/balance`)).body).toMatchObject({ balance: '100.00', available: '100.00' });
    const nothingLeft = await shop.post(`/v1/transactions/${purchaseId}/refunds`, { amount: '0.01' });
    expect(nothingLeft.status).toBe(422);
  });

  it('lets only an admin reverse a transfer, which gives both wallets their money back', async () => {
    const cat = await signUp(api, 'cat');
    const dan = await signUp(api, 'dan');
    const from = await fundedWallet(cat, '50.00');
    const to = await fundedWallet(dan, '5.00');
    const sent = await cat.post('/v1/transfers', { fromWalletId: from.id, toWalletNumber: to.walletNumber, amount: '20.00', pin: '2580' });
    const transferId = await completed(cat, sent);
    expect((await cat.get(`/v1/wallets/${from.id}/balance`)).body.balance).toBe('29.50');
    const transferSpending = async () => {
      const res = await cat.get('/v1/analytics/spending?groupBy=category&currency=USD');
      return (res.body.groups as { key: string; total: string }[]).find((g) => g.key === 'transfer')?.total ?? 'none';
    };
    await waitFor(async () => ((await transferSpending()) === '20.50' ? true : undefined), { timeoutMs: 20_000, what: 'analytics to count the transfer' });

    // A transfer is not refundable (an admin reverses it instead).
    expect((await (await logInAdmin(api)).post(`/v1/transactions/${transferId}/refunds`, {})).status).toBe(400);

    const notAdmin = await cat.post(`/v1/admin/transactions/${transferId}/reversal`, { reason: 'I changed my mind' });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.error).toBe('FORBIDDEN');

    const admin = await logInAdmin(api);
    const noReason = await admin.post(`/v1/admin/transactions/${transferId}/reversal`, {});
    expect(noReason.status).toBe(400);
    const reversed = await admin.post(`/v1/admin/transactions/${transferId}/reversal`, { reason: 'sent to the wrong person' });
    expect(reversed.status).toBe(201);
    expect(reversed.body).toMatchObject({ id: transferId, type: 'transfer_out', status: 'reversed' });

    expect((await cat.get(`/v1/transactions/${transferId}`)).body.status).toBe('reversed');
    expect((await cat.get(`/v1/wallets/${from.id}/balance`)).body.balance).toBe('50.00');
    expect((await dan.get(`/v1/wallets/${to.id}/balance`)).body.balance).toBe('5.00');
    // Analytics no longer counts the reversed transfer as spending.
    await waitFor(async () => ((await transferSpending()) === 'none' ? true : undefined), {
      timeoutMs: 20_000,
      what: 'analytics to drop the reversed transfer',
    });

    const again = await admin.post(`/v1/admin/transactions/${transferId}/reversal`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('CONFLICT');
  });
});
