import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createServiceLogger, JsonLogger } from './json-logger';
import { runWithRequestId } from './request-id';

function capture(level: 'log' | 'debug' = 'log') {
  const lines: Record<string, unknown>[] = [];
  const pino = createServiceLogger('ledger', level, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, logger: new JsonLogger('ledger', level, pino) };
}

describe('JsonLogger over pino', () => {
  it('writes one JSON object a line with time, level, service, context and msg', () => {
    const { lines, logger } = capture();
    logger.log({ msg: 'service started', port: 8082 }, 'Bootstrap');
    logger.warn('disk almost full', 'Storage');
    logger.debug('not shown at level log');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      service: 'ledger',
      context: 'Bootstrap',
      msg: 'service started',
      port: 8082,
    });
    expect(lines[1]).toMatchObject({ level: 'warn', context: 'Storage', msg: 'disk almost full' });
  });

  it('keeps the PII redaction: secret-named fields, emails in fields and in messages, phone numbers', () => {
    const { lines, logger } = capture();
    logger.log({
      msg: 'login by ann.lee@example.com',
      password: 'hunter2',
      email: 'ann.lee@example.com',
      phone: '+60 12-345 6789',
      nested: { apiKey: 'tk_x' },
    });
    logger.error('reset mail to bob@example.org bounced');
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|ann\.lee|bob@|tk_x|345 6789/);
    expect(lines[0]).toMatchObject({
      msg: 'login by a***@e***.com',
      password: '[redacted]',
      email: 'a***@e***.com',
      phone: '*********89',
      nested: { apiKey: '[redacted]' },
    });
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'reset mail to b***@e***.org bounced' });
  });

  it('an Error becomes msg and stack', () => {
    const { lines, logger } = capture();
    logger.error(new Error('boom'), 'Kafka');
    expect(lines[0]).toMatchObject({ level: 'error', context: 'Kafka', msg: 'boom', stack: expect.stringContaining('Error: boom') });
  });

  it('names the request and the trace a line was written in', () => {
    // What startTracing's SDK registers in a service.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const { lines, logger } = capture();
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
    context.with(trace.setSpan(context.active(), span), () => runWithRequestId('req-12345678', () => logger.log('inside')));
    expect(lines[0]).toMatchObject({ msg: 'inside', traceId: '0af7651916cd43dd8448eb211c80319c', requestId: 'req-12345678' });
  });
});
