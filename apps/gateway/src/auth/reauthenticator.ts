import { Injectable } from '@nestjs/common';
import { Actor, IdentityCommands, RequestOrigin } from '@tally/contracts';
import { CommandClient } from '../commands/command-client';

/**
 * Asks identity to check the signed-in user's password again before a sensitive change (e.g. a PIN
 * reset). Resolves when it is right; otherwise throws identity's answer as a DomainError:
 * UNAUTHENTICATED with details.reason INVALID_CREDENTIALS (a failed attempt, counted toward the
 * lockout), ACCOUNT_LOCKED, or SERVICE_UNAVAILABLE. Put the route under
 * `@CredentialRateLimited('actor')` so guesses are limited before any hash runs.
 */
@Injectable()
export class Reauthenticator {
  constructor(private readonly commands: CommandClient) {}

  async confirmPassword(actor: Actor, password: string, origin: RequestOrigin): Promise<void> {
    await this.commands.send(IdentityCommands.reauthenticate, { password, ...origin }, { actor });
  }
}
