import { ArgumentsHost, Catch, Controller, INestMicroservice, Logger, Module, RpcExceptionFilter, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, IncomingResponse, MessagePattern, Payload } from '@nestjs/microservices';
import { KafkaResponseDeserializer } from '@nestjs/microservices/deserializers';
import { KafkaJSNonRetriableError } from 'kafkajs';
import { firstValueFrom, Observable, throwError, timeout } from 'rxjs';
import { uuidv7 } from '@tally/contracts';
import { waitFor, testKafkaClient, testKafkaConfig } from '@tally/testing';
import { consumerHealth } from './consumer-supervisor';
import { ensureTopics } from './kafka-client';
import { SupervisedClientKafka, SupervisedServerKafka } from './supervised-kafka-transport';

/** Fails reading one reply, as a non-retriable client error would, to crash the reply consumer. */
class CrashOnceDeserializer extends KafkaResponseDeserializer {
  crashNext = false;
  crashed = false;
  override deserialize(message: Parameters<KafkaResponseDeserializer['deserialize']>[0]): IncomingResponse {
    if (this.crashNext) {
      this.crashNext = false;
      this.crashed = true;
      throw new KafkaJSNonRetriableError('simulated non-retriable failure');
    }
    return super.deserialize(message);
  }
}

/**
 * The @nestjs/microservices Kafka server (each service's command consumer) and client (the
 * gateway's reply consumer) against the real broker: a non-retriable error crashes the consumer,
 * which kafkajs leaves down; supervised, it comes back and the message is delivered again.
 */
describe('supervised Nest Kafka server and client', () => {
  const run = uuidv7();
  const topic = `int-consumers-supervised-${run}`;
  const requestTopic = `int-consumers-requests-${run}`;
  const deserializer = new CrashOnceDeserializer();
  let client: SupervisedClientKafka;
  const kafka = testKafkaClient('supervised-transport-int-spec');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const received: number[] = [];
  let crashed = false;
  let app: INestMicroservice;

  /** Nest turns a handler's error into a plain object (which kafkajs retries); let the original reach kafkajs. */
  @Catch()
  class RethrowFilter implements RpcExceptionFilter<Error> {
    catch(exception: Error, _host: ArgumentsHost): Observable<never> {
      return throwError(() => exception);
    }
  }

  @Controller()
  @UseFilters(new RethrowFilter())
  class TestHandler {
    @EventPattern(topic)
    async handle(@Payload() data: { n: number }): Promise<void> {
      if (data.n === 2 && !crashed) {
        crashed = true;
        throw new KafkaJSNonRetriableError('simulated non-retriable failure');
      }
      received.push(data.n);
    }

    @MessagePattern(requestTopic)
    async echo(@Payload() data: { n: number }): Promise<{ n: number }> {
      return { n: data.n };
    }
  }

  @Module({ controllers: [TestHandler] })
  class TestModule {}

  const send = (n: number) => producer.send({ topic, messages: [{ key: run, value: JSON.stringify({ n }) }] });

  beforeAll(async () => {
    await ensureTopics(kafka, [topic, requestTopic, `${requestTopic}.reply`], { numPartitions: 1 });
    await producer.connect();
    const logger = new Logger('int-spec');
    const server = new SupervisedServerKafka(
      {
        client: testKafkaConfig(`int-consumers-${run}`),
        consumer: { groupId: `int-consumers-${run}`, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 3000 },
        subscribe: { fromBeginning: true },
        postfixId: '',
      },
      `int-consumers-${run}`,
      logger,
    );
    app = await NestFactory.createMicroservice(TestModule, { strategy: server, logger: false });
    await app.listen();
    client = new SupervisedClientKafka(
      {
        client: testKafkaConfig(`int-consumers-client-${run}`),
        consumer: { groupId: `int-consumers-client-${run}`, allowAutoTopicCreation: false },
        producer: { allowAutoTopicCreation: false },
        subscribe: { fromBeginning: true },
        deserializer,
        postfixId: '',
      },
      `int-consumers-client-${run}`,
      logger,
    );
    client.subscribeToResponseOf(requestTopic);
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await producer.disconnect();
  });

  it('restarts the server consumer after a non-retriable crash and redelivers the message', async () => {
    await send(1);
    await waitFor(async () => (received.includes(1) ? true : undefined), { timeoutMs: 45_000, what: 'the first message' });
    await expect(consumerHealth.check()).resolves.toBeUndefined();

    await send(2);
    await waitFor(async () => (crashed ? true : undefined), { timeoutMs: 15_000, what: 'the crash' });
    const down = await waitFor(
      async () => {
        const error = await consumerHealth.check().then(
          () => undefined,
          (err: Error) => err.message,
        );
        return error;
      },
      { timeoutMs: 10_000, intervalMs: 20, what: 'the consumer reported down' },
    );
    expect(down).toContain(`consumer int-consumers-${run} is down`);

    await waitFor(async () => (received.includes(2) ? true : undefined), { timeoutMs: 45_000, what: 'the redelivered message' });
    await send(3);
    await waitFor(async () => (received.includes(3) ? true : undefined), { timeoutMs: 30_000, what: 'a message after the restart' });
    await expect(consumerHealth.check()).resolves.toBeUndefined();
    expect(received).toEqual([1, 2, 3]);
  });

  it('restarts the client reply consumer after a non-retriable crash; the reply still arrives', async () => {
    const request = (n: number) => firstValueFrom(client.send<{ n: number }>(requestTopic, { n }).pipe(timeout(45_000)));
    expect(await request(1)).toEqual({ n: 1 });

    deserializer.crashNext = true;
    const pending = request(2);
    const down = await waitFor(
      async () =>
        consumerHealth.check().then(
          () => undefined,
          (err: Error) => err.message,
        ),
      { timeoutMs: 20_000, intervalMs: 20, what: 'the reply consumer reported down' },
    );
    expect(deserializer.crashed).toBe(true);
    expect(down).toContain(`consumer int-consumers-client-${run} is down`);
    // The reply's offset was never committed: the restarted consumer reads it again.
    expect(await pending).toEqual({ n: 2 });
    expect(await request(3)).toEqual({ n: 3 });
    await waitFor(async () => consumerHealth.check().then(() => true), { timeoutMs: 15_000, what: 'the reply consumer back' });
  });
});
