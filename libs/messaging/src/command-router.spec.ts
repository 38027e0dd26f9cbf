import { ActorAssertionSigner, ActorAssertionVerifier, DEV_ACTOR_ASSERTION_PRIVATE_KEY, DEV_ACTOR_ASSERTION_PUBLIC_KEY, newEd25519KeyPair } from '@tally/auth';
import { Actor, CommandMessage, defineCommand, NoPayload, Topics } from '@tally/contracts';
import { currentRequestId, metricsRegistry } from '@tally/observability';
import { CommandRouter, route, verifyCommandsWith } from './command-router';

const silent = { log: () => undefined, error: () => undefined, warn: () => undefined };
const signer = new ActorAssertionSigner(DEV_ACTOR_ASSERTION_PRIVATE_KEY);
const ann: Actor = { userId: '0195f0a2-6c1e-7a10-8b1c-2f4d5e6a7b80', roles: ['user'], sessionId: '0195f0a7-6f70-7182-9c93-0e1f2a3b4c59' };

async function signed(message: Omit<CommandMessage, 'assertion'>, audience = 'ledger'): Promise<CommandMessage> {
  return { ...message, assertion: await signer.sign({ audience, ...message }) };
}

const getWallet = defineCommand<NoPayload, { requestId: string | null }>({ topic: Topics.ledgerCommands, type: 'wallet.get', shape: {} });
const whoami = defineCommand<NoPayload, { actor: Actor | null }>({ topic: Topics.ledgerCommands, type: 'wallet.whoami', shape: {} });
const depositV1 = defineCommand<{ walletId: string; amount: string }, string>({
  topic: Topics.ledgerCommands,
  type: 'wallet.deposit',
  shape: { walletId: 'uuid', amount: 'minor', note: 'string?' },
});
const depositV2 = defineCommand<{ walletId: string; amount: { value: string; currency: string } }, string>({
  topic: Topics.ledgerCommands,
  type: 'wallet.deposit',
  version: 2,
  shape: { walletId: 'uuid', amount: 'object' },
});

describe('CommandRouter', () => {
  const router = new CommandRouter(
    'ledger',
    [
      route(getWallet, async () => ({ requestId: currentRequestId() ?? null })),
      route(whoami, async (_p, m) => ({ actor: m.actor ?? null })),
      route(depositV1, (p) => `v1 ${p.amount} to ${p.walletId}`),
      route(depositV2, (p) => `v2 ${p.amount.value} ${p.amount.currency} to ${p.walletId}`),
    ],
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
      // Nor to another version of the same command.
      const v1 = await signed({ type: 'wallet.deposit', payload: { walletId: '0195f0a2-6c1e-7a10-8b1c-2f4d5e6a7b81', amount: { value: '1' } }, actor: ann });
      expect(await router.dispatch({ ...v1, version: 2 }, {})).toEqual(refused);
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

  describe('contracts', () => {
    const walletId = '0195f0a2-6c1e-7a10-8b1c-2f4d5e6a7b81';
    async function refusals(reason: string): Promise<number> {
      const metric = await metricsRegistry.getSingleMetricAsString('command_payloads_refused_total');
      return metric
        .split('\n')
        .filter((line) => line.includes(`reason="${reason}"`) && line.includes('service="ledger"'))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    }

    it('routes each version of a command to its own handler; a message without a version is version 1', async () => {
      const v1 = { type: 'wallet.deposit', payload: { walletId, amount: '500' }, actor: ann };
      expect(await router.dispatch(await signed(v1), {})).toEqual({ ok: true, data: `v1 500 to ${walletId}` });
      expect(await router.dispatch(await signed({ ...v1, version: 1 }), {})).toEqual({ ok: true, data: `v1 500 to ${walletId}` });
      const v2 = { type: 'wallet.deposit', version: 2, payload: { walletId, amount: { value: '5.00', currency: 'USD' } }, actor: ann };
      expect(await router.dispatch(await signed(v2), {})).toEqual({ ok: true, data: `v2 5.00 USD to ${walletId}` });
    });

    it('refuses and counts a version or a command it does not know', async () => {
      const before = { version: await refusals('unknown-version'), command: await refusals('unknown-command') };
      const v3 = await signed({ type: 'wallet.deposit', version: 3, payload: { walletId, amount: '500' }, actor: ann });
      expect(await router.dispatch(v3, {})).toEqual({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: 'Version 3 of ledger command "wallet.deposit" is not supported' },
      });
      expect(await router.dispatch(await signed({ type: 'wallet.steal', payload: {}, actor: ann }), {})).toEqual({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: 'Unknown ledger command "wallet.steal"' },
      });
      expect(await refusals('unknown-version')).toBe(before.version + 1);
      expect(await refusals('unknown-command')).toBe(before.command + 1);
    });

    it('refuses a signed command whose payload does not fit its contract, naming every problem, before the handler runs', async () => {
      const before = await refusals('payload');
      const bad = await signed({ type: 'wallet.deposit', payload: { walletId: 'not-a-uuid', amount: 5, note: 7 }, actor: ann });
      expect(await router.dispatch(bad, {})).toEqual({
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          message: "The wallet.deposit command's payload does not fit its contract",
          details: { problems: ['walletId must be uuid', 'amount must be minor', 'note must be string?'] },
        },
      });
      // A v2 payload sent as v1 does not reach the v1 handler either.
      const mixed = await signed({ type: 'wallet.deposit', payload: { walletId, amount: { value: '5.00', currency: 'USD' } }, actor: ann });
      expect((await router.dispatch(mixed, {})).ok).toBe(false);
      expect(await refusals('payload')).toBe(before + 2);
    });

    it('refuses two routes for the same command version', () => {
      expect(() => new CommandRouter('ledger', [route(depositV1, () => 'a'), route(depositV1, () => 'b')], silent)).toThrow(
        'ledger: two routes for command wallet.deposit@v1',
      );
    });
  });
});
