import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@tally/contracts';
import { InvalidAmountError, UnsupportedCurrencyError } from '@tally/money';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_AMOUNT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  INSUFFICIENT_FUNDS: 422,
  LIMIT_EXCEEDED: 422,
  INVALID_PIN: 422,
  PIN_LOCKED: 423,
  ACCOUNT_LOCKED: 423,
  WALLET_NOT_ACTIVE: 422,
  WALLET_NOT_EMPTY: 422,
  CURRENCY_MISMATCH: 422,
  FX_RATE_UNAVAILABLE: 422,
  REFUND_EXCEEDS_ORIGINAL: 422,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** The api-v1.md error body: `{error, message, details?, timestamp, path, requestId}`. */
export function sendApiError(req: Request, res: Response, status: number, code: ErrorCode, message: string, details?: Record<string, unknown>): void {
  res.status(status).json({
    error: code,
    message,
    ...(details ? { details } : {}),
    timestamp: new Date().toISOString(),
    path: req.path,
    requestId: req.id,
  });
}

/** The one place an error becomes an HTTP answer in the api-v1.md format. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const { status, code, message, details } = this.describe(exception);
    if (status >= 500) {
      this.logger.error({ msg: 'request failed', path: req.path, status, error: (exception as Error)?.message });
    }
    sendApiError(req, res, status, code, message, details);
  }

  private describe(exception: unknown): { status: number; code: ErrorCode; message: string; details?: Record<string, unknown> } {
    if (exception instanceof DomainError) {
      return { status: STATUS[exception.code] ?? 500, code: exception.code, message: exception.message, details: exception.details };
    }
    if (exception instanceof InvalidAmountError) return { status: 400, code: 'INVALID_AMOUNT', message: exception.message };
    if (exception instanceof UnsupportedCurrencyError) return { status: 400, code: 'VALIDATION_FAILED', message: exception.message };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse() as { message?: string | string[] };
      const messages = Array.isArray(body?.message) ? body.message : undefined;
      return {
        status,
        code: HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED'),
        message: messages ? 'The request is invalid' : String(body?.message ?? exception.message),
        details: messages ? { problems: messages } : undefined,
      };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL_ERROR', message: 'Internal error' };
  }
}
