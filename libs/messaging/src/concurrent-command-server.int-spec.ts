import { Controller, INestMicroservice, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { uuidv7 } from '@tally/contracts';
import { testKafkaClient, testKafkaConfig } from '@tally/testing';
import { ensureTopics } from './kafka-client';
import { SupervisedClientKafka, SupervisedServerKafka } from './supervised-kafka-transport';

/**
 * A command server with concurrency above 1, on a one-partition topic against the real broker: a
 * slow command does not hold up the commands behind it, and every command is answered once.
 */
describe('command server handling a batch concurrently', () => {
  const run = uuidv7();
  const topic = `int-concurrent-commands-${run}`;
  const kafka = testKafkaClient('concurrent-server-int-spec');
  const handled: number[] = [];
  let release: () => void = () => undefined;
  const slowGate = new Promise<void>((resolve) => (release = resolve));
  let app: INestMicroservice;
  let client: SupervisedClientKafka;

  @Controller()
  class TestHandler {
    @MessagePattern(topic)
    async handle(@Payload() data: { n: number; slow?: boolean }): Promise<{ n: number }> {
      if (data.slow) await slowGate;
      handled.push(data.n);
      return { n: data.n };
    }
  }

  @Module({ controllers: [TestHandler] })
  class TestModule {}

  beforeAll(async () => {
    await ensureTopics(kafka, [topic, `${topic}.reply`], { numPartitions: 1 });
    const logger = new Logger('int-spec');
    const server = new SupervisedServerKafka(
      {
        client: testKafkaConfig(`int-concurrent-${run}`),
        consumer: { groupId: `int-concurrent-${run}`, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 3000 },
        subscribe: { fromBeginning: true },
        postfixId: '',
      },
      `int-concurrent-${run}`,
      logger,
      { concurrency: 8 },
    );
    app = await NestFactory.createMicroservice(TestModule, { strategy: server, logger: false });
    await app.listen();
    client = new SupervisedClientKafka(
      {
        client: testKafkaConfig(`int-concurrent-client-${run}`),
        consumer: { groupId: `int-concurrent-client-${run}`, allowAutoTopicCreation: false },
        producer: { allowAutoTopicCreation: false },
        subscribe: { fromBeginning: true },
        postfixId: '',
      },
      `int-concurrent-client-${run}`,
      logger,
    );
    client.subscribeToResponseOf(topic);
    await client.connect();
  });

  afterAll(async () => {
    release();
    await client?.close();
    await app?.close();
  });

  it('answers the fast commands while a slow one ahead of them is still running, and each once', async () => {
    const request = (n: number, slow = false) => firstValueFrom(client.send<{ n: number }>(topic, { n, slow }).pipe(timeout(45_000)));
    const slow = request(0, true);
    // Sent after the slow one, on the same partition: with one command at a time they would wait for it.
    const fast = await Promise.all([1, 2, 3, 4, 5].map((n) => request(n)));
    expect(fast.map((r) => r.n)).toEqual([1, 2, 3, 4, 5]);
    expect(handled).not.toContain(0);
    release();
    expect(await slow).toEqual({ n: 0 });
    expect([...handled].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
