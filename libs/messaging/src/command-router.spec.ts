import { currentRequestId } from '@tally/observability';
import { CommandRouter } from './command-router';

const silent = { log: () => undefined, error: () => undefined, warn: () => undefined };

describe('CommandRouter request ids', () => {
  const router = new CommandRouter('ledger', { 'wallet.get': async () => ({ requestId: currentRequestId() ?? null }) }, silent);

  it("runs the handler under the gateway's request id from the x-request-id header", async () => {
    const reply = await router.dispatch({ type: 'wallet.get', payload: {} }, { 'x-request-id': Buffer.from('req-0123456789') });
    expect(reply).toEqual({ ok: true, data: { requestId: 'req-0123456789' } });
  });

  it('ignores a missing or malformed id', async () => {
    expect(await router.dispatch({ type: 'wallet.get', payload: {} }, {})).toEqual({ ok: true, data: { requestId: null } });
    expect(await router.dispatch({ type: 'wallet.get', payload: {} }, { 'x-request-id': 'bad id\n{"level":"fatal"}' })).toEqual({
      ok: true,
      data: { requestId: null },
    });
  });
});
