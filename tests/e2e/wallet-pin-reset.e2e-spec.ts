import { ApiClient } from '@tally/testing';
import { signUp, signUpUser } from './sign-up';
import { GATEWAY_URL } from '../stack-env';

/**
 * POST /v1/wallets/{id}/pin/reset (issue 10, point 1): the owner who forgot or locked a PIN proves
 * who they are with the account password, and the ledger sets the new PIN and ends the lock.
 */
describe('PIN reset with the account password', () => {
  const api = new ApiClient(GATEWAY_URL);

  async function wallet(user: ApiClient, deposit?: string): Promise<{ id: string; walletNumber: string }> {
    const opened = await user.post('/v1/wallets', { currency: 'USD', pin: '2580' });
    expect(opened.status).toBe(201);
    if (deposit) expect((await user.post(`/v1/wallets/${opened.body.id}/deposits`, { amount: deposit })).status).toBe(201);
    return opened.body;
  }
  const transfer = (user: ApiClient, fromWalletId: string, toWalletNumber: string, pin: string) =>
    user.post('/v1/transfers', { fromWalletId, toWalletNumber, amount: '5.00', pin });

  it('a wallet locked by wrong PINs is reset with the password; the new PIN moves money, the old one does not', async () => {
    const ann = await signUpUser(api, 'forgetful');
    const from = await wallet(ann.api, '50.00');
    const to = await wallet(await signUp(api, 'payee'));

    // Four misses answer 422 INVALID_PIN; the fifth locks the wallet, and then even the right PIN is refused.
    for (let i = 0; i < 4; i++) expect((await transfer(ann.api, from.id, to.walletNumber, '1111')).status).toBe(422);
    expect((await transfer(ann.api, from.id, to.walletNumber, '1111')).status).toBe(423);
    const locked = await transfer(ann.api, from.id, to.walletNumber, '2580');
    expect(locked.status).toBe(423);
    expect(locked.body.error).toBe('PIN_LOCKED');

    const key = `pin-reset-${from.id}`;
    const reset = await ann.api.post(`/v1/wallets/${from.id}/pin/reset`, { password: ann.password, newPin: '7391' }, key);
    expect(reset.status).toBe(204);
    // The same key and body: the first answer again, without a second reset.
    const replay = await ann.api.post(`/v1/wallets/${from.id}/pin/reset`, { password: ann.password, newPin: '7391' }, key);
    expect(replay.status).toBe(204);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const moved = await transfer(ann.api, from.id, to.walletNumber, '7391');
    expect([201, 202]).toContain(moved.status);
    expect(moved.body).toMatchObject({ type: 'transfer_out', amount: '5.00' });
    const oldPin = await transfer(ann.api, from.id, to.walletNumber, '2580');
    expect(oldPin.status).toBe(422);
    expect(oldPin.body).toMatchObject({ error: 'INVALID_PIN', details: { attemptsLeft: 4 } });
  });

  it('refuses a wrong password (401), a weak or malformed PIN (400), a missing Idempotency-Key (400)', async () => {
    const bea = await signUpUser(api, 'careful');
    const mine = await wallet(bea.api, '20.00');
    const path = `/v1/wallets/${mine.id}/pin/reset`;

    const wrong = await bea.api.post(path, { password: 'not my password', newPin: '7391' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'UNAUTHENTICATED', path });

    const weak = await bea.api.post(path, { password: bea.password, newPin: '1111' });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'newPin' } });
    const short = await bea.api.post(path, { password: bea.password, newPin: '12' });
    expect(short.status).toBe(400);
    expect(short.body.details.problems).toEqual(['newPin must be 4 to 6 digits']);
    expect((await bea.api.post(path, { password: bea.password, newPin: '7391' }, null)).status).toBe(400);

    // Nothing changed: the old PIN still works.
    expect([201, 202]).toContain((await transfer(bea.api, mine.id, (await wallet(bea.api)).walletNumber, '2580')).status);
  });

  it('someone else’s wallet answers 404 even with the caller’s right password', async () => {
    const owner = await signUp(api, 'holder');
    const target = await wallet(owner, '10.00');
    const stranger = await signUpUser(api, 'intruder');

    const answer = await stranger.api.post(`/v1/wallets/${target.id}/pin/reset`, { password: stranger.password, newPin: '7391' });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toBe('NOT_FOUND');
    expect([201, 202]).toContain((await transfer(owner, target.id, (await wallet(stranger.api)).walletNumber, '2580')).status);
  });
});
