import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor, OnApplicationShutdown, OnModuleInit, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, Observable, of, switchMap } from 'rxjs';
import { Actor, DomainError } from '@tally/contracts';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { IdempotencyRepository, requestFingerprint } from './idempotency.repository';

/** Set on every handler that takes @IdempotencyKey(): its POSTs are remembered by key. */
export const IDEMPOTENT = 'tally:idempotent';
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Set by @AnswerHoldsSecret(): the answer shows a secret once, so the gateway never stores it. */
export const ANSWER_HOLDS_SECRET = 'tally:answer-holds-secret';

/**
 * The route's answer holds a secret shown once (a webhook's signing secret). The gateway keeps no
 * copy: after a success it frees the key, and the owning service, which keeps its own record of the
 * key (and the secret encrypted), answers a replay.
 */
export const AnswerHoldsSecret = () => SetMetadata(ANSWER_HOLDS_SECRET, true);

/**
 * api-v1's Idempotency-Key for every creating or money-moving POST, in one place: the first request
 * with a key claims it in gateway.idempotency_records; a success is stored (status and body) and
 * answered again to every later request with that key and the same method, path and body
 * (header Idempotent-Replayed: true), for IDEMPOTENCY_KEY_TTL_HOURS; another body is 409
 * IDEMPOTENCY_KEY_REUSED; a twin arriving while the first runs waits for its answer. A failed
 * request (4xx, or 503 when a service did not answer) releases the key, so the client may retry
 * it: money commands carry the same key to the ledger, which stores it with their effect and so
 * never applies one twice even when the gateway could not learn the outcome.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reflector: Reflector,
    private readonly records: IdempotencyRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => {
      this.records.purgeExpired().catch((err: Error) => this.logger.warn({ msg: 'idempotency purge failed', error: err.message }));
    }, 3_600_000);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }

  /** Longer than the slowest request (command, settlement wait, a poll), so a live request keeps its key. */
  private get leaseMs(): number {
    return 2 * this.config.commandTimeoutMs + this.config.settleWaitMs + 5_000;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.reflector.get<boolean>(IDEMPOTENT, context.getHandler())) return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next.handle(); // a required key is refused by @IdempotencyKey() (400)
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new DomainError('VALIDATION_FAILED', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters');
    }
    // Anonymous keys (registration) share one scope: a replay needs the same key and the same body, password included.
    const scope = req.user ? `user:${req.user.userId}` : 'anonymous';
    const fingerprint = requestFingerprint(this.config.idempotencyHmacKey, req.method, req.path, req.body);
    const holdsSecret = this.reflector.get<boolean>(ANSWER_HOLDS_SECRET, context.getHandler()) === true;
    return from(this.claim(scope, key, fingerprint)).pipe(
      switchMap((claim) => {
        if (claim.kind === 'replay') {
          res.status(claim.statusCode);
          res.setHeader('Idempotent-Replayed', 'true');
          return of(claim.response ?? undefined);
        }
        return next.handle().pipe(
          mergeMap(async (body) => {
            const done = holdsSecret ? this.records.release(scope, key) : this.records.complete(scope, key, res.statusCode, body);
            await done.catch((err: Error) => {
              // The effect happened; a retry after the lease runs again and the owning service answers it from its own key.
              this.logger.warn({ msg: 'idempotency record not completed', error: err.message });
            });
            return body;
          }),
          catchError(async (err) => {
            await this.records.release(scope, key).catch(() => undefined);
            throw err;
          }),
        );
      }),
    );
  }

  private async claim(scope: string, key: string, fingerprint: string) {
    const deadline = Date.now() + this.leaseMs;
    for (;;) {
      let claim;
      try {
        claim = await this.records.claim(scope, key, fingerprint, this.leaseMs, this.config.idempotencyTtlHours);
      } catch (err) {
        if (err instanceof DomainError) throw err;
        // Without its record the gateway cannot promise once-only: refuse rather than risk a duplicate.
        throw new DomainError('SERVICE_UNAVAILABLE', 'Idempotency records are unavailable; retry with the same Idempotency-Key');
      }
      if (claim.kind !== 'in_progress') return claim;
      if (Date.now() > deadline) {
        throw new DomainError('CONFLICT', 'A request with this Idempotency-Key is still in progress; retry later');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
