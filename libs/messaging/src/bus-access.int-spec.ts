import { randomUUID } from 'node:crypto';
import { Consumer, KafkaJSGroupCoordinatorNotFound, KafkaJSNonRetriableError, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { allTopics, Topics } from '@tally/contracts';
import { localKafkaSasl, provisionLocalBus, testKafka, testKafkaClient } from '@tally/testing';
import { createProducer, ensureTopics } from './kafka-client';

/** The error a consumer stops on (kafkajs reports a non-retriable failure of its run loop as a crash). */
function crashOf(consumer: Consumer): Promise<unknown> {
  return new Promise((resolve) => consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error)));
}

/** The secured test broker (deploy/local: SASL/SCRAM, StandardAuthorizer, no ACL means no access) with the ACLs of busAccess(). */
describe('the bus refuses whoever it cannot authenticate or has not authorised', () => {
  // Fail at once: a refusal must not be retried into a timeout. (Consumers keep a few retries: a
  // fresh broker's group coordinator takes a moment to appear.)
  const noRetry = { retry: { retries: 0 }, connectionTimeout: 3000 };

  beforeAll(async () => {
    await provisionLocalBus(testKafka().brokers);
    await ensureTopics(testKafkaClient('bus-access-int-spec-admin'), allTopics());
  });

  it('refuses a client without credentials', async () => {
    const admin = testKafkaClient('bus-access-anonymous', { sasl: null, ...noRetry }).admin();
    // The SASL listener closes a connection that starts talking Kafka without authenticating.
    // (kafkajs exports KafkaJSConnectionClosedError at run time but not in its types: matched by name.)
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toMatchObject({ name: 'KafkaJSConnectionClosedError' });
    await admin.disconnect();
  });

  it('refuses a known principal with a wrong password', async () => {
    const admin = testKafkaClient('bus-access-wrong-password', {
      sasl: { ...localKafkaSasl('ledger'), password: 'not-the-ledger-password' },
      ...noRetry,
    }).admin();
    await expect(admin.connect()).rejects.toBeInstanceOf(KafkaJSSASLAuthenticationError);
    await admin.disconnect();
  });

  it("refuses the gateway's principal a write to ledger.events and a read of ledger.commands", async () => {
    const kafka = testKafkaClient('bus-access-gateway', { sasl: localKafkaSasl('gateway'), ...noRetry });
    const producer = createProducer(kafka);
    await producer.connect();
    try {
      const forged = producer.send({ topic: Topics.ledgerEvents, messages: [{ value: JSON.stringify({ type: 'forged' }) }] });
      await expect(forged).rejects.toBeInstanceOf(KafkaJSProtocolError);
      await expect(forged).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    } finally {
      await producer.disconnect();
    }

    // Its own group prefix, someone else's topic: the topic is refused.
    const consumer = kafka.consumer({ groupId: `gateway-bus-access-${randomUUID()}`, allowAutoTopicCreation: false, retry: { retries: 5 } });
    const crashed = crashOf(consumer);
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [Topics.ledgerCommands], fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      // It may join its group and be assigned the partitions, but the broker refuses every fetch.
      const error = await crashed;
      expect(error).toBeInstanceOf(KafkaJSNonRetriableError);
      expect((error as KafkaJSNonRetriableError).cause).toBeInstanceOf(KafkaJSProtocolError);
      expect((error as KafkaJSNonRetriableError).cause).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    } finally {
      await consumer.disconnect();
    }
  });

  it("refuses the gateway's principal the ledger's consumer group", async () => {
    const kafka = testKafkaClient('bus-access-gateway-group', { sasl: localKafkaSasl('gateway'), ...noRetry });
    const consumer = kafka.consumer({ groupId: 'ledger-commands', allowAutoTopicCreation: false, retry: { retries: 5 } });
    const crashed = crashOf(consumer);
    await consumer.connect();
    try {
      // A topic it may read, a group that is not its own: joining the group is refused.
      await consumer.subscribe({ topics: [Topics.ledgerEvents] });
      await consumer.run({ eachMessage: async () => undefined });
      // The broker answers FindCoordinator with GROUP_AUTHORIZATION_FAILED; kafkajs reports it as a
      // coordinator it cannot find, and gives up (not retriable).
      const error = await crashed;
      expect(error).toBeInstanceOf(KafkaJSGroupCoordinatorNotFound);
      expect(error).toMatchObject({ retriable: false });
    } finally {
      await consumer.disconnect();
    }
  });

  it("lets the ledger's principal produce to ledger.events, idempotently, as the outbox relay does", async () => {
    const producer = createProducer(testKafkaClient('bus-access-ledger', { sasl: localKafkaSasl('ledger'), ...noRetry }));
    await producer.connect();
    try {
      const [sent] = await producer.send({
        topic: Topics.ledgerEvents,
        messages: [{ key: 'bus-access', value: JSON.stringify({ type: 'bus-access-int-spec' }) }],
      });
      expect(sent.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });

  it("lets the gateway's principal send a command to ledger.commands", async () => {
    const producer = createProducer(testKafkaClient('bus-access-gateway-command', { sasl: localKafkaSasl('gateway'), ...noRetry }));
    await producer.connect();
    try {
      const [sent] = await producer.send({ topic: Topics.ledgerCommands, messages: [{ value: JSON.stringify({ type: 'bus-access-int-spec' }) }] });
      expect(sent.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });
});
