import { LoggerService, LogLevel } from '@nestjs/common';
import pino, { Logger as PinoLogger } from 'pino';
import { redactPii } from './pii';
import { currentRequestId } from './request-id';
import { currentTraceId } from './tracing';

/** Nest's level names → pino's (the `level` field of every line). */
const PINO_LEVELS: Record<LogLevel, pino.Level> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};
const NEST_LEVELS: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/**
 * The service's pino logger: one JSON object per line on stdout with `time` (ISO), `level`
 * (trace, debug, info, warn, error, fatal), `service`, `msg`, the active `traceId` and the request's
 * `requestId`, every line passed through redactPii (secret-named fields dropped, emails and phone
 * numbers masked, in fields and in messages). nestjs-pino (ObservabilityModule) and JsonLogger both
 * write through it.
 */
export function createServiceLogger(service: string, level: LogLevel = 'log', destination?: pino.DestinationStream): PinoLogger {
  return pino(
    {
      level: PINO_LEVELS[level],
      base: { service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactPii(withStack(object)) as Record<string, unknown>,
      },
      hooks: {
        // A message string may hold an email address too.
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactPii(arg) : arg)) as Parameters<typeof method>);
        },
      },
      mixin(_object, _level, logger) {
        const fields: Record<string, string> = {};
        const traceId = currentTraceId();
        if (traceId) fields.traceId = traceId;
        // pino-http binds requestId to its per-request child already; Kafka-driven work has it in context.
        const requestId = currentRequestId();
        if (requestId && !('requestId' in logger.bindings())) fields.requestId = requestId;
        return fields;
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** An Error's message and stack as the fields every Tally log line uses (`msg` is pino's, `stack` ours). */
function withStack(object: Record<string, unknown>): Record<string, unknown> {
  const err = object.err;
  if (!(err instanceof Error)) return object;
  const { err: _omitted, ...rest } = object;
  return { ...rest, stack: err.stack };
}

let root: { service: string; logger: PinoLogger } | undefined;

/** The process's logger (runService creates it first; nestjs-pino's LoggerModule writes through it). */
export function serviceLogger(service = root?.service ?? 'tally', level?: LogLevel): PinoLogger {
  if (!root || root.service !== service || level) root = { service, logger: createServiceLogger(service, level) };
  return root.logger;
}

/**
 * A Nest LoggerService over the service's pino logger, for what runs outside Nest's container (start-up
 * failures, the migrate-only entrypoint, kafkajs' log creator). Nest's calling convention: an object,
 * an Error or a string, then optional extras, the context last.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: PinoLogger;

  constructor(service: string, level: LogLevel = 'log', pinoLogger?: PinoLogger) {
    this.pino = pinoLogger ?? serviceLogger(service, level);
  }

  setLogLevels(levels: LogLevel[]): void {
    const lowest = NEST_LEVELS[Math.min(...levels.map((l) => NEST_LEVELS.indexOf(l)))];
    if (lowest) this.pino.level = PINO_LEVELS[lowest];
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    let msg: string | undefined;
    if (message instanceof Error) {
      msg = message.message;
      fields.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
    } else {
      msg = String(message);
    }
    for (const extra of args) {
      if (typeof extra === 'string') fields[extra.includes('\n') ? 'stack' : 'component'] = extra;
      else if (extra instanceof Error) fields.stack = extra.stack;
      else if (typeof extra === 'object' && extra !== null) Object.assign(fields, extra);
    }
    if (msg === undefined && typeof fields.msg === 'string') {
      msg = fields.msg;
      delete fields.msg;
    }
    this.pino[PINO_LEVELS[level]](fields, msg);
  }
}
