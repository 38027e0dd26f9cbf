import { LoggerService, LogLevel } from '@nestjs/common';
import { redactPii } from './pii';
import { currentRequestId } from './request-id';
import { currentTraceId } from './tracing';

const LEVELS: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
const LEVEL_NAMES: Record<LogLevel, string> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

/**
 * One JSON object per line on stdout, with service, context, trace id and the HTTP request's id.
 * Callers pass identifiers, never secrets or whole personal data; redactPii masks what slips through.
 */
export class JsonLogger implements LoggerService {
  private minLevel: number;

  constructor(
    private readonly service: string,
    level: LogLevel = 'log',
  ) {
    this.minLevel = LEVELS.indexOf(level);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.minLevel = Math.min(...levels.map((l) => LEVELS.indexOf(l)));
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
    if (LEVELS.indexOf(level) < this.minLevel) return;
    // Nest passes the context as the last string argument, and a stack before it for errors.
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: LEVEL_NAMES[level],
      service: this.service,
    };
    if (context) line.context = context;
    const traceId = currentTraceId();
    if (traceId) line.traceId = traceId;
    const requestId = currentRequestId();
    if (requestId) line.requestId = requestId;
    if (message instanceof Error) {
      line.msg = message.message;
      line.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(line, message);
    } else {
      line.msg = String(message);
    }
    for (const extra of args) {
      if (typeof extra === 'string') line[extra.includes('\n') ? 'stack' : 'component'] = extra;
      else if (extra instanceof Error) line.stack = extra.stack;
      else if (typeof extra === 'object' && extra !== null) Object.assign(line, extra);
    }
    process.stdout.write(JSON.stringify(redactPii(line)) + '\n');
  }
}
