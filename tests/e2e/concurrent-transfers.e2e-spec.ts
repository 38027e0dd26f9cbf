import { ApiClient, ApiResponse, daytimeZone, waitFor } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * Twenty transfers of 10.50 at once from one wallet holding 100.00, over HTTP: every request gets
 * a definite answer (completed, pending then completed, or refused for funds), none a 503, and the
 * money adds up to the cent on both wallets. The ledger batches them; each keeps its own outcome.
 */
describe('twenty concurrent transfers from one wallet', () => {
  const api = new ApiClient(GATEWAY_URL);
  const cents = (amount: string) => BigInt(amount.replace('.', ''));

  it('answers each one, none 503, and the balances are exactly what the completed ones moved', async () => {
    const sender = await signUp(api, 'burst-sender');
    const receiver = await signUp(api, 'burst-receiver');
    const zone = daytimeZone();
    const from = (await sender.post('/v1/wallets', { currency: 'USD', pin: '2580', timeZone: zone })).body;
    const to = (await receiver.post('/v1/wallets', { currency: 'USD', pin: '1397', timeZone: zone })).body;
    expect((await sender.post(`/v1/wallets/${from.id}/deposits`, { amount: '100.00' })).status).toBe(201);

    const answers: ApiResponse[] = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sender.post('/v1/transfers', { fromWalletId: from.id, toWalletNumber: to.walletNumber, amount: '10.50', pin: '2580', description: `burst ${i}` }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    for (const a of answers) {
      if (a.status === 201 || a.status === 202) expect(a.body.amount).toBe('10.50');
      else expect([a.status, a.body.error]).toEqual([422, 'INSUFFICIENT_FUNDS']);
    }

    // Pending ones (fraud still deciding) end completed: 20 debits score velocity, not a hold.
    const accepted = answers.filter((a) => a.status === 201 || a.status === 202);
    const final = await Promise.all(
      accepted.map((a) =>
        waitFor(
          async () => {
            const t = (await sender.get(`/v1/transactions/${a.body.id}`)).body;
            return t.status === 'pending' ? undefined : t;
          },
          { what: `transfer ${a.body.id} to settle` },
        ),
      ),
    );
    const completed = final.filter((t) => t.status === 'completed');
    expect(completed).toHaveLength(accepted.length);
    const moved = completed.reduce((sum, t) => sum + cents(t.amount), 0n);
    const fees = completed.reduce((sum, t) => sum + cents(t.fee), 0n);
    const perTransfer = 1050n + cents(completed[0]?.fee ?? '0.00');
    // Every transfer that could be paid was: the refusals came only when the next one no longer fitted.
    expect(BigInt(completed.length)).toBe(10000n / perTransfer);

    const senderBalance = (await sender.get(`/v1/wallets/${from.id}/balance`)).body;
    const receiverBalance = (await receiver.get(`/v1/wallets/${to.id}/balance`)).body;
    expect(cents(senderBalance.balance)).toBe(10000n - moved - fees);
    expect(senderBalance.pending).toBe('0.00');
    expect(cents(receiverBalance.balance)).toBe(moved);
  });
});
