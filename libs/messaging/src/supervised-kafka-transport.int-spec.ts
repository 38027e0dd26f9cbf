import { ArgumentsHost, Catch, Controller, INestMicroservice, Logger, Module, RpcExceptionFilter, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Kafka, KafkaJSNonRetriableError, logLevel } from 'kafkajs';
import { Observable, throwError } from 'rxjs';
import { uuidv7 } from '@tally/contracts';
import { testKafka, waitFor } from '@tally/testing';
import { consumerHealth } from './consumer-supervisor';
import { ensureTopics } from './kafka-client';
import { SupervisedServerKafka } from './supervised-kafka-transport';

/**
 * The @nestjs/microservices Kafka server (what runs each service's command consumer) against the
 * real broker: a handler's non-retriable error crashes its consumer, which kafkajs leaves down;
 * the supervised server brings it back and the message is delivered again.
 */
describe('supervised Nest Kafka server', () => {
  const run = uuidv7();
  const topic = `int-consumers-supervised-${run}`;
  const kafka = new Kafka({ clientId: 'supervised-transport-int-spec', brokers: [testKafka().brokers], logLevel: logLevel.NOTHING });
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
  }

  @Module({ controllers: [TestHandler] })
  class TestModule {}

  const send = (n: number) => producer.send({ topic, messages: [{ key: run, value: JSON.stringify({ n }) }] });

  beforeAll(async () => {
    await ensureTopics(kafka, [topic], 1);
    await producer.connect();
    const logger = new Logger('int-spec');
    const server = new SupervisedServerKafka(
      {
        client: { clientId: `int-consumers-${run}`, brokers: [testKafka().brokers], logLevel: logLevel.NOTHING },
        consumer: { groupId: `int-consumers-${run}`, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 3000 },
        subscribe: { fromBeginning: true },
        postfixId: '',
      },
      `int-consumers-${run}`,
      logger,
    );
    app = await NestFactory.createMicroservice(TestModule, { strategy: server, logger: false });
    await app.listen();
  });

  afterAll(async () => {
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
});
