import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IdentityCommands, ResolvedPrincipal } from '@tally/contracts';
import { CommandClient } from '../commands/command-client';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';

interface Cached {
  until: number;
  principal: ResolvedPrincipal;
}

const MAX_ENTRIES = 10_000;

/**
 * Asks identity who an access token's session or an API key speaks for right now, and remembers a
 * positive answer for AUTH_CACHE_MS. So a revoked session, revoked key, suspension or role change
 * takes effect on every gateway within that time (at once on the gateway that served the
 * revocation, which evicts it), at the cost of one Kafka round trip per token per period.
 * Failures are never cached.
 */
@Injectable()
export class PrincipalResolver {
  private readonly sessions = new Map<string, Cached>();
  private readonly apiKeys = new Map<string, Cached>();

  constructor(
    private readonly commands: CommandClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  session(userId: string, sessionId: string): Promise<ResolvedPrincipal> {
    return this.cached(this.sessions, `${userId}:${sessionId}`, () =>
      this.commands.send(IdentityCommands.checkSession, { userId, sessionId }, { key: userId }),
    );
  }

  apiKey(key: string): Promise<ResolvedPrincipal> {
    // Keyed by a digest so the map never holds the secret itself.
    const digest = createHash('sha256').update(key).digest('hex');
    return this.cached(this.apiKeys, digest, () => this.commands.send(IdentityCommands.resolveApiKey, { key }, { key: digest }));
  }

  forgetSession(sessionId: string): void {
    for (const [key, entry] of this.sessions) if (entry.principal.sessionId === sessionId) this.sessions.delete(key);
  }

  /** After an admin changed a user's status or roles: that user's sessions and keys are asked again. */
  forgetUser(userId: string): void {
    for (const map of [this.sessions, this.apiKeys]) {
      for (const [key, entry] of map) if (entry.principal.userId === userId) map.delete(key);
    }
  }

  forgetApiKey(apiKeyId: string): void {
    for (const [key, entry] of this.apiKeys) if (entry.principal.apiKeyId === apiKeyId) this.apiKeys.delete(key);
  }

  private async cached(map: Map<string, Cached>, key: string, load: () => Promise<ResolvedPrincipal>): Promise<ResolvedPrincipal> {
    const now = Date.now();
    const hit = map.get(key);
    if (hit && hit.until > now) return hit.principal;
    const principal = await load();
    if (this.config.authCacheMs > 0) {
      if (map.size >= MAX_ENTRIES) {
        for (const [k, entry] of map) if (entry.until <= now) map.delete(k);
        if (map.size >= MAX_ENTRIES) map.clear();
      }
      map.set(key, { until: now + this.config.authCacheMs, principal });
    }
    return principal;
  }
}
