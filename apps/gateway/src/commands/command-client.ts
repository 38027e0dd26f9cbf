import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { ActorAssertionSigner } from '@tally/auth';
import {
  Actor,
  AnyCommandContract,
  COMMAND_TOPICS,
  CommandMessage,
  commandPayloadProblems,
  CommandReply,
  DomainError,
  PayloadOf,
  ReplyOf,
} from '@tally/contracts';
import { currentRequestId, currentTraceparent, HealthRegistry } from '@tally/observability';
import { consumerHealth, KafkaProbe } from '@tally/messaging';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_PROBE = Symbol('KAFKA_PROBE');

export interface SendOptions {
  actor?: Actor;
  idempotencyKey?: string;
  /** Partition key: commands about one aggregate stay in order. */
  key?: string;
}

/** Request/reply to the services over Kafka. A reply that does not come in time is a 503. */
@Injectable()
export class CommandClient implements OnModuleInit, OnApplicationShutdown {
  private readonly signer: ActorAssertionSigner;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly client: ClientKafka,
    @Inject(KAFKA_PROBE) private readonly probe: KafkaProbe,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly health: HealthRegistry,
  ) {
    this.signer = new ActorAssertionSigner(config.actorAssertionPrivateKey);
  }

  async onModuleInit(): Promise<void> {
    for (const topic of COMMAND_TOPICS) this.client.subscribeToResponseOf(topic);
    await this.client.connect();
    this.health.register('kafka', () => this.probe.check());
    this.health.register('consumers', () => consumerHealth.check());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
    await this.probe.close();
  }

  /** Sends one command version to its topic; the payload is checked against the contract first, as the service will check it. */
  async send<C extends AnyCommandContract>(contract: C, payload: PayloadOf<C>, options: SendOptions = {}): Promise<ReplyOf<C>> {
    type T = ReplyOf<C>;
    const { topic, type, version } = contract;
    // Fields left undefined are not sent (JSON drops them); the check sees what the service will.
    const problems = commandPayloadProblems(contract, JSON.parse(JSON.stringify(payload ?? {})));
    if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', 'The request does not fit the command it makes', { problems });
    // The receiving service believes the actor only with this signature over the whole command.
    const assertion = await this.signer.sign({
      audience: topic.split('.')[0],
      type,
      version,
      actor: options.actor,
      idempotencyKey: options.idempotencyKey,
      payload,
    });
    const message: CommandMessage = { type, version, payload, actor: options.actor, idempotencyKey: options.idempotencyKey, assertion };
    const traceparent = currentTraceparent();
    const requestId = currentRequestId();
    let reply: CommandReply<T>;
    try {
      reply = await firstValueFrom(
        this.client
          .send<CommandReply<T>>(topic, {
            key: options.key ?? options.actor?.userId ?? null,
            value: message,
            headers: { ...(traceparent ? { traceparent } : {}), ...(requestId ? { 'x-request-id': requestId } : {}) },
          })
          .pipe(timeout(this.config.commandTimeoutMs)),
      );
    } catch (err) {
      throw unavailable(err instanceof TimeoutError ? 'did not answer in time' : 'could not be reached', options.idempotencyKey !== undefined);
    }
    if (!reply.ok) throw new DomainError(reply.error.code, reply.error.message, reply.error.details);
    return reply.data;
  }
}

/**
 * A command that got no answer. With an Idempotency-Key it may have taken effect: the outcome is
 * unknown, and a retry with the same key is safe (it answers the first outcome or runs it once).
 * Without one (reads, and changes the client may simply repeat) a retry is all there is to say.
 */
function unavailable(what: string, keyed: boolean): DomainError {
  return keyed
    ? new DomainError('SERVICE_UNAVAILABLE', `The service ${what}; the outcome is unknown: retry with the same Idempotency-Key`, {
        outcome: 'unknown',
        retry: 'same Idempotency-Key',
      })
    : new DomainError('SERVICE_UNAVAILABLE', `The service ${what}; retry later`, { retry: 'later' });
}
