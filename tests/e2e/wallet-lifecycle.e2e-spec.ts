import { ApiClient } from '@tally/testing';
import { signUp } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * A wallet after it is opened, over HTTP: a new PIN, freeze and unfreeze, close, the time zone its
 * limits count in, and the per-transaction bounds.
 */
describe('wallet lifecycle through the gateway', () => {
  const api = new ApiClient(GATEWAY_URL);

  async function wallet(
    user: ApiClient,
    deposit?: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; walletNumber: string; timeZone: string }> {
    const opened = await user.post('/v1/wallets', { currency: 'USD', pin: '2580', ...extra });
    expect(opened.status).toBe(201);
    if (deposit) expect((await user.post(`/v1/wallets/${opened.body.id}/deposits`, { amount: deposit })).status).toBe(201);
    return opened.body;
  }

  const changePin = (user: ApiClient, walletId: string, body: unknown) => user.request<any>('PUT', `/v1/wallets/${walletId}/pin`, body);
  const transfer = (user: ApiClient, fromWalletId: string, toWalletNumber: string, pin = '2580') =>
    user.post('/v1/transfers', { fromWalletId, toWalletNumber, amount: '5.00', pin });

  it('changes the PIN (204); afterwards only the new PIN moves money', async () => {
    const ann = await signUp(api, 'ann');
    const from = await wallet(ann, '50.00');
    const to = await wallet(await signUp(api, 'bob'));

    const changed = await changePin(ann, from.id, { oldPin: '2580', newPin: '8642' });
    expect(changed.status).toBe(204);
    expect(changed.body).toBeUndefined();

    const oldPin = await transfer(ann, from.id, to.walletNumber, '2580');
    expect(oldPin.status).toBe(422);
    expect(oldPin.body).toMatchObject({ error: 'INVALID_PIN', details: { attemptsLeft: 4 } });
    const newPin = await transfer(ann, from.id, to.walletNumber, '8642');
    expect([201, 202]).toContain(newPin.status);
    expect(newPin.body).toMatchObject({ type: 'transfer_out', amount: '5.00' });

    // Repeating the change: the old PIN is no longer right (and counts as a miss).
    const again = await changePin(ann, from.id, { oldPin: '2580', newPin: '8642' });
    expect(again.status).toBe(422);
    expect(again.body.error).toBe('INVALID_PIN');
  });

  it('a frozen wallet answers 422 WALLET_NOT_ACTIVE to transfers either way; unfreeze restores it; close wants it empty', async () => {
    const ann = await signUp(api, 'frozen');
    const bob = await signUp(api, 'peer');
    const mine = await wallet(ann, '50.00');
    const theirs = await wallet(bob, '50.00');

    const frozen = await ann.post(`/v1/wallets/${mine.id}/freeze`, { reason: 'lost my phone' }, null);
    expect(frozen.status).toBe(200);
    expect(frozen.body).toMatchObject({ id: mine.id, status: 'frozen', balance: '50.00', timeZone: 'UTC' });

    const out = await transfer(ann, mine.id, theirs.walletNumber);
    expect(out.status).toBe(422);
    expect(out.body).toMatchObject({ error: 'WALLET_NOT_ACTIVE', path: '/v1/transfers' });
    const incoming = await transfer(bob, theirs.id, mine.walletNumber);
    expect(incoming.status).toBe(422);
    expect(incoming.body.error).toBe('WALLET_NOT_ACTIVE');
    expect((await ann.get(`/v1/wallets/${mine.id}/balance`)).body).toMatchObject({ status: 'frozen', balance: '50.00' });

    const unfrozen = await ann.post(`/v1/wallets/${mine.id}/unfreeze`, {}, null);
    expect(unfrozen.status).toBe(200);
    expect(unfrozen.body.status).toBe('active');
    expect([201, 202]).toContain((await transfer(ann, mine.id, theirs.walletNumber)).status);

    const notEmpty = await ann.post(`/v1/wallets/${mine.id}/close`, {}, null);
    expect(notEmpty.status).toBe(422);
    expect(notEmpty.body).toMatchObject({ error: 'WALLET_NOT_EMPTY', details: { pendingIn: '0.00' } });

    const spare = await wallet(ann);
    const closed = await ann.post(`/v1/wallets/${spare.id}/close`, {}, null);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', balance: '0.00' });
    expect((await ann.post(`/v1/wallets/${spare.id}/deposits`, { amount: '1.00' })).body.error).toBe('WALLET_NOT_ACTIVE');
    expect((await ann.post(`/v1/wallets/${spare.id}/unfreeze`, {}, null)).status).toBe(422);
  });

  it('answers 404 NOT_FOUND on every new route for someone else’s wallet', async () => {
    const owner = await signUp(api, 'owner');
    const stranger = await signUp(api, 'stranger');
    const target = await wallet(owner, '10.00');

    const answers = [
      await changePin(stranger, target.id, { oldPin: '2580', newPin: '9182' }),
      await stranger.post(`/v1/wallets/${target.id}/freeze`, {}, null),
      await stranger.post(`/v1/wallets/${target.id}/unfreeze`, {}, null),
      await stranger.post(`/v1/wallets/${target.id}/close`, {}, null),
    ];
    expect(answers.map((a) => [a.status, a.body.error])).toEqual(Array(4).fill([404, 'NOT_FOUND']));
    expect((await owner.get(`/v1/wallets/${target.id}`)).body.status).toBe('active');
    // The owner's wallet and PIN are untouched.
    expect([201, 202]).toContain((await transfer(owner, target.id, (await wallet(stranger)).walletNumber)).status);
  });

  it('answers bad bodies with 400 VALIDATION_FAILED in the contract’s error format', async () => {
    const user = await signUp(api, 'careless');
    const mine = await wallet(user, '20.00');
    const pinPath = `/v1/wallets/${mine.id}/pin`;

    const short = await changePin(user, mine.id, { oldPin: '2580', newPin: '12' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ error: 'VALIDATION_FAILED', path: pinPath, details: { problems: ['newPin must be 4 to 6 digits'] } });
    expect(short.body.requestId).toEqual(expect.any(String));
    expect(short.body.timestamp).toEqual(expect.any(String));

    const bad = [
      await changePin(user, mine.id, { oldPin: '2580' }),
      await changePin(user, mine.id, { oldPin: '2580', newPin: '2580' }),
      await changePin(user, mine.id, { oldPin: '2580', newPin: '3141', admin: true }),
      await user.post(`/v1/wallets/${mine.id}/freeze`, { reason: 42 }, null),
      await user.post(`/v1/wallets/${mine.id}/close`, { force: true }, null),
      await user.post('/v1/wallets', { currency: 'USD', pin: '2580', timeZone: 'Mars/Olympus_Mons' }),
    ];
    expect(bad.map((r) => [r.status, r.body.error])).toEqual(Array(bad.length).fill([400, 'VALIDATION_FAILED']));
    // A malformed id names no wallet: 404 like someone else's.
    expect((await changePin(user, 'not-a-uuid', { oldPin: '2580', newPin: '3141' })).body.error).toBe('NOT_FOUND');
    // Nothing changed: the wallet is active and its PIN is still 1234.
    expect((await user.get(`/v1/wallets/${mine.id}`)).body.status).toBe('active');
    expect([201, 202]).toContain((await transfer(user, mine.id, (await wallet(user)).walletNumber)).status);
  });

  it('opens a wallet in the holder’s time zone and enforces the per-transaction maximum', async () => {
    const user = await signUp(api, 'tokyo');
    const mine = await wallet(user, undefined, { timeZone: 'Asia/Tokyo' });
    expect(mine.timeZone).toBe('Asia/Tokyo');
    expect((await user.get(`/v1/wallets/${mine.id}`)).body.timeZone).toBe('Asia/Tokyo');

    // At most 50,000 MYR equivalent per transaction: 10,638.29 USD at 4.70, not a cent more.
    const tooMuch = await user.post(`/v1/wallets/${mine.id}/deposits`, { amount: '10638.30' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body).toMatchObject({
      error: 'INVALID_AMOUNT',
      details: { limit: 'perTransactionMax', max: '50000.00', currency: 'MYR', amountInBaseCurrency: '50000.01' },
    });
    expect((await user.post(`/v1/wallets/${mine.id}/deposits`, { amount: '10638.29' })).status).toBe(201);
  });
});
