import { EventEnvelope, Topics, WalletSettingsChangedV1 } from '@tally/contracts';
import { ApiClient, readTopic, testKafkaClient, waitFor } from '@tally/testing';
import { GATEWAY_URL, TEST_KAFKA } from '../stack-env';
import { signUp } from './sign-up';

/** PATCH /v1/wallets/{id} (api-v1 v1.1): a wallet's name and its limits, within the platform's caps. */
describe('wallet settings', () => {
  const api = new ApiClient(GATEWAY_URL);
  const kafka = testKafkaClient('wallet-settings-e2e', { kafka: TEST_KAFKA });
  let lee: ApiClient;

  beforeAll(async () => {
    lee = await signUp(api, 'wallet-settings');
  });

  const patch = (who: ApiClient, id: string, body: unknown) => who.request('PATCH', `/v1/wallets/${id}`, body);
  const pay = (walletId: string, amount: string) =>
    lee.post('/v1/payments', { walletId, amount, merchantName: 'Corner Shop', merchantCategory: 'groceries', pin: '2580' });

  it('names a wallet at opening and later, and clears the name with null', async () => {
    const opened = await lee.post('/v1/wallets', { currency: 'USD', pin: '2580', name: '  Everyday ' });
    expect(opened.status).toBe(201);
    expect(opened.body.name).toBe('Everyday');
    const renamed = await patch(lee, opened.body.id, { name: 'Travel' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: opened.body.id, name: 'Travel', dailyLimit: opened.body.dailyLimit });
    expect((await lee.get(`/v1/wallets/${opened.body.id}`)).body.name).toBe('Travel');
    expect((await patch(lee, opened.body.id, { name: null })).body.name).toBeNull();
    expect((await lee.get('/v1/wallets')).body.items.find((w: { id: string }) => w.id === opened.body.id).name).toBeNull();
  });

  it('a lower daily limit refuses the next debit above it, a higher one lets it through, and each change is announced', async () => {
    const w = (await lee.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body;
    expect((await lee.post(`/v1/wallets/${w.id}/deposits`, { amount: '100.00' })).status).toBe(201);

    const lowered = await patch(lee, w.id, { dailyLimit: '20.00' });
    expect(lowered.status).toBe(200);
    expect(lowered.body).toMatchObject({ dailyLimit: '20.00', monthlyLimit: w.monthlyLimit });
    const refused = await pay(w.id, '25.00');
    expect([refused.status, refused.body.error, refused.body.details?.limit]).toEqual([422, 'LIMIT_EXCEEDED', 'daily']);

    expect((await patch(lee, w.id, { dailyLimit: 30 })).body.dailyLimit).toBe('30.00');
    expect((await pay(w.id, '25.00')).status).toBe(201);
    expect((await lee.get(`/v1/wallets/${w.id}/balance`)).body.balance).toBe('75.00');

    const announced = await waitFor(
      async () => {
        const events = (await readTopic(kafka, Topics.ledgerEvents))
          .map((m) => JSON.parse(m.value as string) as EventEnvelope<WalletSettingsChangedV1>)
          .filter((e) => e.type === 'wallet.settings_changed' && e.data.walletId === w.id);
        return events.length === 2 ? events : undefined;
      },
      { timeoutMs: 20_000, what: 'two wallet.settings_changed events' },
    );
    expect(announced.map((e) => [e.data.dailyLimit, e.data.changed])).toEqual([
      ['20.00', ['dailyLimit']],
      ['30.00', ['dailyLimit']],
    ]);
  });

  it("refuses limits above the platform's cap, a daily limit above the monthly one and bad amounts, and changes nothing", async () => {
    const w = (await lee.post('/v1/wallets', { currency: 'MYR', pin: '2580' })).body;
    const overCap = await patch(lee, w.id, { dailyLimit: '1000000.00' });
    expect(overCap.status).toBe(400);
    expect(overCap.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'dailyLimit', currency: 'MYR', max: expect.any(String) } });
    // The monthly limit left out keeps its value and still bounds the daily one.
    const aboveMonthly = await patch(lee, w.id, { dailyLimit: (Number(w.monthlyLimit) + 1).toFixed(2) });
    expect(aboveMonthly.status).toBe(400);
    expect((await patch(lee, w.id, { monthlyLimit: '10.00', dailyLimit: '20.00' })).status).toBe(400);
    for (const bad of [{ dailyLimit: '12.345' }, { dailyLimit: '-5' }, { monthlyLimit: 'lots' }, { name: '' }, { name: 'x'.repeat(61) }, { currency: 'EUR' }]) {
      const res = await patch(lee, w.id, bad);
      expect([JSON.stringify(bad), res.status]).toEqual([JSON.stringify(bad), 400]);
    }
    expect((await lee.get(`/v1/wallets/${w.id}`)).body).toMatchObject({ dailyLimit: w.dailyLimit, monthlyLimit: w.monthlyLimit, name: null });
  });

  it("answers 404 for another user's wallet and 422 for a closed one", async () => {
    const w = (await lee.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body;
    const other = await signUp(api, 'wallet-settings-other');
    const foreign = await patch(other, w.id, { name: 'mine now' });
    expect([foreign.status, foreign.body.error]).toEqual([404, 'NOT_FOUND']);
    expect((await lee.get(`/v1/wallets/${w.id}`)).body.name).toBeNull();

    expect((await lee.post(`/v1/wallets/${w.id}/close`, { reason: 'not needed' })).status).toBe(200);
    const closed = await patch(lee, w.id, { name: 'again' });
    expect([closed.status, closed.body.error]).toEqual([422, 'WALLET_NOT_ACTIVE']);
  });
});
