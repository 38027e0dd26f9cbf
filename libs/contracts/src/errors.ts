/** The public error codes of api-v1.md, shared by every service's replies. */
export const ErrorCodes = [
  'VALIDATION_FAILED',
  'INVALID_AMOUNT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'INSUFFICIENT_FUNDS',
  'LIMIT_EXCEEDED',
  'INVALID_PIN',
  'PIN_LOCKED',
  'ACCOUNT_LOCKED',
  'WALLET_NOT_ACTIVE',
  'WALLET_NOT_EMPTY',
  'CURRENCY_MISMATCH',
  'FX_RATE_UNAVAILABLE',
  'REFUND_EXCEEDS_ORIGINAL',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

/** A business error with a public code; services throw it, transports map it. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
