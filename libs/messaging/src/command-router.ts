import type { LoggerService } from '@nestjs/common';
import type { IHeaders } from 'kafkajs';
import { Counter } from 'prom-client';
import { ActorAssertionError, ActorAssertionVerifier } from '@tally/auth';
import { Actor, CommandMessage, CommandReply, DomainError, ErrorCode, ErrorCodes } from '@tally/contracts';
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandler = (payload: any, message: CommandMessage) => Promise<unknown>;

/**
 * Maps a command's type to its handler and turns the outcome into a reply: coded domain errors
 * travel back to the gateway as they are; anything else is logged and answered as INTERNAL_ERROR.
 */
export class CommandRouter {
  private readonly handlers: Map<string, CommandHandler>;

  constructor(
    private readonly service: string,
    handlers: Record<string, CommandHandler>,
    private readonly logger: LoggerService,
  ) {
    this.handlers = new Map(Object.entries(handlers));
  }

  async dispatch(message: CommandMessage, headers: IHeaders | undefined): Promise<CommandReply> {
    const type = typeof message?.type === 'string' ? message.type : '';
    const handler = this.handlers.get(type);
    if (!handler) {
      return { ok: false, error: { code: 'VALIDATION_FAILED', message: `Unknown ${this.service} command "${type}"` } };
    }
    const proven = await this.provenActor(message, type);
    if ('refused' in proven) return proven.refused;
    message = { ...message, actor: proven.actor };
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
      const actor = await verifier.verify<Actor>(message.assertion, { type, idempotencyKey: message.idempotencyKey, payload: message.payload });
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

  private run(type: string, handler: CommandHandler, message: CommandMessage, traceparent: string | undefined): Promise<CommandReply> {
    return inSpan(`${this.service} command ${type}`, SpanKind.SERVER, contextFromTraceparent(traceparent), {}, async () => {
      try {
        return { ok: true, data: await handler(message.payload ?? {}, message) };
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
