import { ActorAssertionSigner, ActorAssertionVerifier, DEV_ACTOR_ASSERTION_PRIVATE_KEY, DEV_ACTOR_ASSERTION_PUBLIC_KEY, newEd25519KeyPair } from '@tally/auth';
import { Actor, CommandMessage } from '@tally/contracts';
import { currentRequestId } from '@tally/observability';
import { CommandRouter, verifyCommandsWith } from './command-router';

const silent = { log: () => undefined, error: () => undefined, warn: () => undefined };
const signer = new ActorAssertionSigner(DEV_ACTOR_ASSERTION_PRIVATE_KEY);
const ann: Actor = { userId: '0195f0a2-6c1e-7a10-8b1c-2f4d5e6a7b80', roles: ['user'], sessionId: '0195f0a7-6f70-7182-9c93-0e1f2a3b4c59' };

async function signed(message: Omit<CommandMessage, 'assertion'>, audience = 'ledger'): Promise<CommandMessage> {
  return { ...message, assertion: await signer.sign({ audience, ...message }) };
}

describe('CommandRouter', () => {
  const router = new CommandRouter(
    'ledger',
    {
      'wallet.get': async () => ({ requestId: currentRequestId() ?? null }),
      'wallet.whoami': async (_p, m) => ({ actor: m.actor ?? null }),
    },
    silent,
  );
  beforeEach(() => verifyCommandsWith(new ActorAssertionVerifier([DEV_ACTOR_ASSERTION_PUBLIC_KEY], 'ledger')));
  afterAll(() => verifyCommandsWith(undefined));

  describe('request ids', () => {
    it("runs the handler under the gateway's request id from the x-request-id header", async () => {
      const reply = await router.dispatch(await signed({ type: 'wallet.get', payload: {} }), { 'x-request-id': Buffer.from('req-0123456789') });
      expect(reply).toEqual({ ok: true, data: { requestId: 'req-0123456789' } });
    });

    it('ignores a missing or malformed id', async () => {
      expect(await router.dispatch(await signed({ type: 'wallet.get', payload: {} }), {})).toEqual({ ok: true, data: { requestId: null } });
      expect(await router.dispatch(await signed({ type: 'wallet.get', payload: {} }), { 'x-request-id': 'bad id\n{"level":"fatal"}' })).toEqual({
        ok: true,
        data: { requestId: null },
      });
    });
  });

  describe('actor assertions', () => {
    const refused = { ok: false, error: { code: 'UNAUTHENTICATED', message: 'The command carries no valid actor assertion' } };

    it('hands the handler the actor the assertion vouches for, and none for an anonymous command', async () => {
      expect(await router.dispatch(await signed({ type: 'wallet.whoami', payload: { walletId: 'w1' }, actor: ann }), {})).toEqual({
        ok: true,
        data: { actor: ann },
      });
      expect(await router.dispatch(await signed({ type: 'wallet.whoami', payload: {} }), {})).toEqual({ ok: true, data: { actor: null } });
    });

    it('refuses a command without an assertion, whatever actor it claims', async () => {
      expect(await router.dispatch({ type: 'wallet.whoami', payload: {}, actor: { userId: ann.userId, roles: ['admin'] } }, {})).toEqual(refused);
    });

    it('believes the signed actor, not a claimed one beside it (an admin role added after signing)', async () => {
      const message = await signed({ type: 'wallet.whoami', payload: {}, actor: ann });
      const reply = await router.dispatch({ ...message, actor: { ...ann, roles: ['admin'] } }, {});
      expect(reply).toEqual({ ok: true, data: { actor: ann } });
    });

    it('refuses an assertion moved to another command, payload or Idempotency-Key', async () => {
      const message = await signed({ type: 'wallet.whoami', payload: { amount: '1.00' }, actor: ann, idempotencyKey: 'k1' });
      expect(await router.dispatch({ ...message, type: 'wallet.get' }, {})).toEqual(refused);
      expect(await router.dispatch({ ...message, payload: { amount: '1000.00' } }, {})).toEqual(refused);
      expect(await router.dispatch({ ...message, idempotencyKey: 'k2' }, {})).toEqual(refused);
    });

    it('refuses one for another service, one signed with another key, an expired one and a replayed one', async () => {
      expect(await router.dispatch(await signed({ type: 'wallet.whoami', payload: {}, actor: ann }, 'identity'), {})).toEqual(refused);
      const stranger = new ActorAssertionSigner(newEd25519KeyPair().privateKey);
      const forged = { type: 'wallet.whoami', payload: {}, actor: ann };
      expect(await router.dispatch({ ...forged, assertion: await stranger.sign({ audience: 'ledger', ...forged }) }, {})).toEqual(refused);

      const message = await signed({ type: 'wallet.whoami', payload: {}, actor: ann });
      verifyCommandsWith(new ActorAssertionVerifier([DEV_ACTOR_ASSERTION_PUBLIC_KEY], 'ledger', () => Date.now() + 61_000));
      expect(await router.dispatch(message, {})).toEqual(refused);

      verifyCommandsWith(new ActorAssertionVerifier([DEV_ACTOR_ASSERTION_PUBLIC_KEY], 'ledger'));
      expect((await router.dispatch(message, {})).ok).toBe(true);
      expect(await router.dispatch(message, {})).toEqual(refused);
    });

    it('accepts any of several public keys (a rotation), and refuses everything with none configured', async () => {
      const next = newEd25519KeyPair();
      verifyCommandsWith(new ActorAssertionVerifier([next.publicKey, DEV_ACTOR_ASSERTION_PUBLIC_KEY], 'ledger'));
      const message = { type: 'wallet.whoami', payload: {}, actor: ann };
      const withNext = { ...message, assertion: await new ActorAssertionSigner(next.privateKey).sign({ audience: 'ledger', ...message }) };
      expect(await router.dispatch(withNext, {})).toEqual({ ok: true, data: { actor: ann } });
      expect((await router.dispatch(await signed(message), {})).ok).toBe(true);
      verifyCommandsWith(undefined);
      expect(await router.dispatch(await signed(message), {})).toEqual(refused);
    });
  });
});
