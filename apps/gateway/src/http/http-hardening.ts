import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { GatewayConfig } from '../config/gateway.config';
import { sendApiError } from './api-exception.filter';
import { boundedInput, jsonBodiesOnly } from './hostile-input';

/**
 * The gateway's HTTP edge: security headers (helmet), CORS only for the origins in CORS_ORIGINS,
 * JSON bodies only (415 otherwise), a JSON body limit (BODY_LIMIT_KB) whose breach is 413 in the
 * api-v1 error format, bounded nesting and no NUL characters (400), and one access log line per
 * request (no query string, no body: they may carry personal data).
 */
export function hardenHttp(app: NestExpressApplication, config: GatewayConfig): void {
  app.disable('x-powered-by');
  // Only the ingress in TRUST_PROXY may say who the client is (X-Forwarded-For): req.ip, the rate
  // limits and the audit log's IP come from it; anyone else's header is ignored.
  app.set('trust proxy', config.trustProxy);
  // TLS ends in front of the gateway; upgrading /docs' assets to https would break it on plain-http dev setups.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-API-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed'],
      maxAge: 600,
    });
  }
  // Before any parser: a /v1 body that is not JSON (a form) is 415, never decoded.
  app.use(jsonBodiesOnly());
  app.useBodyParser('json', { limit: `${config.bodyLimitKb}kb` });
  // Registered right after the JSON parser, so its errors land here instead of Express's HTML page.
  app.use(bodyParserErrors(config.bodyLimitKb));
  // Deep nesting and NUL characters: 400 before validation or authentication walk them.
  app.use(boundedInput());
  app.use(accessLog());
  apiErrorsForBadHttp(app.getHttpServer() as Server);
}

/**
 * Requests Node refuses before Express sees them (headers or URL beyond its header limit, bytes
 * that are not HTTP) answer in the api-v1 error format too, instead of Node's bare 431 or 400.
 */
export function apiErrorsForBadHttp(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const status = tooLarge ? 431 : timedOut ? 408 : 400;
    const body = JSON.stringify({
      error: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED',
      message: tooLarge
        ? `The request's URL and headers are larger than ${maxHeaderSize / 1024} KB`
        : timedOut
          ? 'The request did not arrive in time'
          : 'The request is not valid HTTP',
      ...(tooLarge ? { details: { limitKb: maxHeaderSize / 1024 } } : {}),
      timestamp: new Date().toISOString(),
      path: requestPath(err.rawPacket),
      requestId: randomUUID(),
    });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** The path of the request line Node could read, if any (without its query; bounded). */
function requestPath(raw: Buffer | undefined): string {
  const line = raw?.subarray(0, 2048).toString('latin1') ?? '';
  const match = /^[A-Z]+ (\/[^\s?]{0,512})/.exec(line);
  return match ? match[1] : '';
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

function bodyParserErrors(limitKb: number) {
  return (err: BodyParserError, req: Request, res: Response, next: NextFunction): void => {
    if (err.type === 'entity.too.large') {
      sendApiError(req, res, 413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${limitKb} KB`, { limitKb });
    } else if (err.type === 'entity.parse.failed') {
      sendApiError(req, res, 400, 'VALIDATION_FAILED', 'The body is not valid JSON');
    } else if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
      sendApiError(req, res, 415, 'UNSUPPORTED_MEDIA_TYPE', err.message);
    } else if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      // Also a body that does not match its Content-Encoding (gzip that is not gzip): zlib's error, no type.
      const message = err.type ? err.message : 'The body could not be decoded as its Content-Encoding says';
      sendApiError(req, res, 400, 'VALIDATION_FAILED', message);
    } else {
      next(err);
    }
  };
}

function accessLog() {
  const logger = new Logger('Access');
  return (req: Request & { user?: { userId?: string } }, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.log({
        msg: 'request',
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        requestId: req.id,
        userId: req.user?.userId,
      });
    });
    next();
  };
}
