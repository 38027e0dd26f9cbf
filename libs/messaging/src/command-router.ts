import type { LoggerService } from '@nestjs/common';
import type { IHeaders } from 'kafkajs';
import { Counter } from 'prom-client';
import { ActorAssertionError, ActorAssertionVerifier } from '@tally/auth';
import {
  Actor,
  AnyCommandContract,
  commandPayloadProblems,
  CommandMessage,
  CommandReply,
  DomainError,
  ErrorCode,
  ErrorCodes,
  PayloadOf,
  ReplyOf,
} from '@tally/contracts';
import { contextFromTraceparent, inSpan, metricsRegistry, runWithRequestId, SpanKind } from '@tally/observability';

let verifier: ActorAssertionVerifier | undefined;

/**
 * The keys every command's actor assertion is checked with (runService sets them from
 * ACTOR_ASSERTION_PUBLIC_KEYS). Without them a command router refuses every command: fail closed.
 */
export function verifyCommandsWith(next: ActorAssertionVerifier | undefined): void {
  verifier = next;
}

const refusedAssertions = new Counter({
  name: 'command_assertions_refused_total',
  help: 'Commands refused because their actor assertion was missing, invalid, expired, for another command or replayed',
  labelNames: ['service', 'reason'],
  registers: [metricsRegistry],
});

const refusedPayloads = new Counter({
  name: 'command_payloads_refused_total',
  help: 'Commands refused before their handler ran: unknown type or version, or a payload that does not fit its contract',
  labelNames: ['service', 'command', 'reason'],
  registers: [metricsRegistry],
});

/** What a route's handler gets: the payload as its contract types it, checked against its shape. */
export type CommandHandler<C extends AnyCommandContract = AnyCommandContract> = (
  payload: PayloadOf<C>,
  message: CommandMessage<PayloadOf<C>>,
) => Promise<ReplyOf<C>> | ReplyOf<C>;

export interface CommandRoute<C extends AnyCommandContract = AnyCommandContract> {
  contract: C;
  handler: CommandHandler<C>;
}

/** One command version and what answers it; the payload's type comes from the contract. */
export function route<C extends AnyCommandContract>(contract: C, handler: CommandHandler<C>): CommandRoute<C> {
  return { contract, handler };
}

const routeKey = (type: string, version: number) => `${type}@v${version}`;

/**
 * Finds a command's route by type and version, believes only the actor its signed assertion
 * vouches for, checks the payload against the contract, and turns the outcome into a reply: coded
 * domain errors travel back to the gateway as they are; anything else is logged and answered as
 * INTERNAL_ERROR.
 */
export class CommandRouter {
  private readonly routes = new Map<string, CommandRoute>();
  private readonly types = new Set<string>();

  constructor(
    private readonly service: string,
    routes: readonly CommandRoute[],
    private readonly logger: LoggerService,
  ) {
    for (const r of routes) {
      const key = routeKey(r.contract.type, r.contract.version);
      if (this.routes.has(key)) throw new Error(`${service}: two routes for command ${key}`);
      this.routes.set(key, r);
      this.types.add(r.contract.type);
    }
  }

  /** Whether a route answers this command version. */
  handles(contract: AnyCommandContract): boolean {
    return this.routes.has(routeKey(contract.type, contract.version));
  }

  async dispatch(message: CommandMessage, headers: IHeaders | undefined): Promise<CommandReply> {
    const type = typeof message?.type === 'string' ? message.type : '';
    // A message without a version was sent before versions were written: version 1.
    const version = message?.version ?? 1;
    const found = Number.isInteger(version) ? this.routes.get(routeKey(type, version)) : undefined;
    if (!found) {
      const known = this.types.has(type);
      this.countRefusal(known ? type : 'unknown', known ? 'unknown-version' : 'unknown-command');
      const what = known ? `version ${String(version)} of ${this.service} command "${type}" is not supported` : `Unknown ${this.service} command "${type}"`;
      return { ok: false, error: { code: 'VALIDATION_FAILED', message: what.charAt(0).toUpperCase() + what.slice(1) } };
    }
    const proven = await this.provenActor(message, type);
    if ('refused' in proven) return proven.refused;
    message = { ...message, payload: message.payload ?? {}, actor: proven.actor };
    const problems = commandPayloadProblems(found.contract, message.payload);
    if (problems.length > 0) {
      this.countRefusal(type, 'payload');
      this.logger.warn?.({ msg: 'command refused: payload does not fit its contract', command: type, version, problems }, 'CommandRouter');
      return { ok: false, error: { code: 'VALIDATION_FAILED', message: `The ${type} command's payload does not fit its contract`, details: { problems } } };
    }
    const handler = found.handler;
    const traceparent = headers?.traceparent?.toString();
    // The gateway's request id rides along, so this service's log lines for the command name it too.
    const requestId = headers?.['x-request-id']?.toString();
    if (requestId && /^[\w-]{8,64}$/.test(requestId)) return runWithRequestId(requestId, () => this.run(type, handler, message, traceparent));
    return this.run(type, handler, message, traceparent);
  }

  /**
   * The actor the gateway's signed assertion vouches for, never the one written beside it: a
   * command whose assertion is missing, forged, expired, for another command or payload, or
   * replayed is refused (UNAUTHENTICATED), logged and counted.
   */
  private async provenActor(message: CommandMessage, type: string): Promise<{ actor: Actor | undefined } | { refused: CommandReply }> {
    try {
      if (!verifier) throw new ActorAssertionError('missing');
      const actor = await verifier.verify<Actor>(message.assertion, {
        type,
        version: message.version,
        idempotencyKey: message.idempotencyKey,
        payload: message.payload,
      });
      return { actor };
    } catch (err) {
      if (!(err instanceof ActorAssertionError)) throw err;
      refusedAssertions.inc({ service: this.service, reason: verifier ? err.reason : 'no-keys' });
      this.logger.warn?.(
        { msg: 'command refused: actor assertion ' + err.reason, command: type, claimedActor: message.actor?.userId ?? null },
        'CommandRouter',
      );
      return { refused: { ok: false, error: { code: 'UNAUTHENTICATED', message: 'The command carries no valid actor assertion' } } };
    }
  }

  private countRefusal(command: string, reason: 'unknown-command' | 'unknown-version' | 'payload'): void {
    refusedPayloads.inc({ service: this.service, command, reason });
  }

  private run(type: string, handler: CommandHandler, message: CommandMessage, traceparent: string | undefined): Promise<CommandReply> {
    return inSpan(`${this.service} command ${type}`, SpanKind.SERVER, contextFromTraceparent(traceparent), {}, async () => {
      try {
        return { ok: true, data: await handler(message.payload, message) };
      } catch (err) {
        if (isCodedError(err)) {
          return { ok: false, error: { code: err.code, message: err.message, details: err.details } };
        }
        this.logger.error({ msg: 'command failed', command: type, error: (err as Error).message }, (err as Error).stack, 'CommandRouter');
        return { ok: false, error: { code: 'INTERNAL_ERROR', message: 'The command could not be completed' } };
      }
    });
  }
}

/** The actor a command was sent for; commands that act on a user's data require one. */
export function requireActor(message: CommandMessage): NonNullable<CommandMessage['actor']> {
  if (!message.actor?.userId) throw new DomainError('UNAUTHENTICATED', 'This command needs an authenticated user');
  return message.actor;
}

/** DomainError, or an error from a framework-free lib (money) that carries a public code. */
function isCodedError(err: unknown): err is { code: ErrorCode; message: string; details?: Record<string, unknown> } {
  const code = (err as { code?: unknown })?.code;
  return err instanceof DomainError || (err instanceof Error && typeof code === 'string' && (ErrorCodes as readonly string[]).includes(code));
}
