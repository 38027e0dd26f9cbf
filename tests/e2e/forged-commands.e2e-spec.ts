import { randomUUID } from 'node:crypto';
import { Partitioners, Producer } from 'kafkajs';
import { ActorAssertionSigner, DEV_ACTOR_ASSERTION_PRIVATE_KEY, newEd25519KeyPair } from '@tally/auth';
import { CommandMessage, CommandReply, LedgerCommands, replyTopic, Topics } from '@tally/contracts';
import { ApiClient, localKafkaSasl, readTopic, testKafkaClient, waitFor } from '@tally/testing';
import { GATEWAY_URL, TEST_PORTS } from '../stack-env';
import { signUp } from './sign-up';

/**
 * Commands written straight to the bus with a valid broker credential (the gateway's), as something
 * that stole it could: the
 * ledger believes an actor only with the gateway's signature over that very command. A forged
 * admin and a signature of another key are each refused (UNAUTHENTICATED), counted, and change
 * nothing (a captured assertion under another payload or command: libs/messaging command-router.spec.ts).
 */
describe('commands forged on the bus', () => {
  const api = new ApiClient(GATEWAY_URL);
  // A valid broker credential (the gateway's principal may write ledger.commands), but no gateway signing key.
  const asGateway = testKafkaClient('forged-commands-e2e', { sasl: localKafkaSasl('gateway') });
  const kafka = testKafkaClient('forged-commands-e2e-reader');
  let producer: Producer;

  beforeAll(async () => {
    producer = asGateway.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  /** Sends a command the way the gateway's client does (Nest's request/reply headers) and waits for the ledger's reply. */
  async function send(message: CommandMessage): Promise<CommandReply> {
    const correlationId = randomUUID();
    await producer.send({
      topic: Topics.ledgerCommands,
      messages: [
        {
          key: message.actor?.userId ?? null,
          value: JSON.stringify(message),
          headers: { kafka_correlationId: correlationId, kafka_replyTopic: replyTopic(Topics.ledgerCommands), kafka_replyPartition: '0' },
        },
      ],
    });
    const reply = await waitFor(
      async () => (await readTopic(kafka, replyTopic(Topics.ledgerCommands))).find((m) => m.headers.kafka_correlationId === correlationId),
      { timeoutMs: 30_000, what: "the ledger's reply" },
    );
    return JSON.parse(reply.value ?? '{}') as CommandReply;
  }

  async function refusedCount(): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${TEST_PORTS.ledger}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('command_assertions_refused_total{') && line.includes('service="ledger"'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  }

  it('refuses a forged admin and a foreign signature, counts both, and moves no money', async () => {
    const victim = await signUp(api, 'forged-victim');
    const wallet = (await victim.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body;
    expect((await victim.post(`/v1/wallets/${wallet.id}/deposits`, { amount: '50.00' })).status).toBe(201);
    const me = (await victim.get('/v1/me')).body;
    const before = await refusedCount();
    const unauthenticated = { ok: false, error: { code: 'UNAUTHENTICATED', message: 'The command carries no valid actor assertion' } };

    // An admin claimed with no assertion at all.
    const trialBalance: CommandMessage = { type: LedgerCommands.trialBalance.type, payload: {}, actor: { userId: randomUUID(), roles: ['admin'] } };
    expect(await send(trialBalance)).toEqual(unauthenticated);

    // The victim's identity signed with a key that is not the gateway's.
    const deposit: CommandMessage = {
      type: LedgerCommands.deposit.type,
      payload: { walletId: wallet.id, amount: '9999.00' },
      actor: { userId: me.id, roles: ['user'] },
      idempotencyKey: randomUUID(),
    };
    const stranger = new ActorAssertionSigner(newEd25519KeyPair().privateKey);
    expect(await send({ ...deposit, assertion: await stranger.sign({ audience: 'ledger', ...deposit }) })).toEqual(unauthenticated);

    expect(await refusedCount()).toBe(before + 2);
    expect((await victim.get(`/v1/wallets/${wallet.id}/balance`)).body.balance).toBe('50.00');
  });

  it("refuses a command signed with the gateway's own key whose payload does not fit its contract, or whose version is unknown, and moves no money", async () => {
    // The test stack's gateway signs with the repository's dev key: this is what a gateway bug, or a stolen key, would send.
    const gateway = new ActorAssertionSigner(DEV_ACTOR_ASSERTION_PRIVATE_KEY);
    const user = await signUp(api, 'contract-user');
    const wallet = (await user.post('/v1/wallets', { currency: 'USD', pin: '2580' })).body;
    const me = (await user.get('/v1/me')).body;
    const actor = { userId: me.id, roles: ['user'] };
    const signed = async (message: Omit<CommandMessage, 'assertion'>): Promise<CommandMessage> => ({
      ...message,
      assertion: await gateway.sign({ audience: 'ledger', ...message }),
    });

    const badPayload = await send(
      await signed({ type: LedgerCommands.deposit.type, version: 1, payload: { walletId: wallet.id, amount: 9999 }, actor, idempotencyKey: randomUUID() }),
    );
    expect(badPayload).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { problems: ['amount must be string'] } } });

    const unknownVersion = await send(
      await signed({ type: LedgerCommands.deposit.type, version: 9, payload: { walletId: wallet.id, amount: '9999.00' }, actor, idempotencyKey: randomUUID() }),
    );
    expect(unknownVersion).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'Version 9 of ledger command "deposit.create" is not supported' },
    });

    // The same command, well formed, goes through: the refusals were the contract's, not the signature's.
    const good = await send(
      await signed({ type: LedgerCommands.deposit.type, version: 1, payload: { walletId: wallet.id, amount: '1.00' }, actor, idempotencyKey: randomUUID() }),
    );
    expect(good).toMatchObject({ ok: true });
    expect((await user.get(`/v1/wallets/${wallet.id}/balance`)).body.balance).toBe('1.00');

    const metrics = await (await fetch(`http://127.0.0.1:${TEST_PORTS.ledger}/metrics`)).text();
    expect(metrics).toMatch(/command_payloads_refused_total\{service="ledger",command="deposit.create",reason="payload"\} [1-9]/);
    expect(metrics).toMatch(/command_payloads_refused_total\{service="ledger",command="deposit.create",reason="unknown-version"\} [1-9]/);
  });
});
