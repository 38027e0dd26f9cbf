import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { ADMIN_READ_ROLES, CommandMessage, CommandReply, IdentityCommands, requireRole, Topics } from '@tally/contracts';
import { CommandRoute, CommandRouter, requireActor, route } from '@tally/messaging';
import { AdminUsersService } from '../admin-users/admin-users.service';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuthService } from '../auth/auth.service';
import { CREDENTIAL_COMMAND_GATE } from '../passwords/credential-command-gate';
import { HashingPool } from '../passwords/hashing-pool';
import { EmailTokensService } from '../email-tokens/email-tokens.service';
import { MfaService } from '../mfa/mfa.service';
import { PasswordsService } from '../passwords/passwords.service';
import { ProfileService } from '../profile/profile.service';
import { SessionsService } from '../sessions/sessions.service';

/** The gateway checks the admin role too; identity checks it again so no other caller skips it. */
function requireAdmin(message: CommandMessage) {
  return requireRole(requireActor(message), 'admin');
}

@Controller()
export class IdentityCommandsController {
  readonly router: CommandRouter;
  readonly credentials: CommandRouter;

  constructor(
    auth: AuthService,
    sessions: SessionsService,
    apiKeys: ApiKeysService,
    emailTokens: EmailTokensService,
    admin: AdminUsersService,
    passwords: PasswordsService,
    mfa: MfaService,
    profile: ProfileService,
    @Inject(CREDENTIAL_COMMAND_GATE) gate: HashingPool,
  ) {
    const routes: CommandRoute[] = [
      route(IdentityCommands.register, (p) => auth.register(p)),
      route(IdentityCommands.login, (p) => auth.login(p)),
      route(IdentityCommands.refresh, (p) => auth.refresh(p)),
      route(IdentityCommands.logout, async (p, m) => {
        await auth.logout(requireActor(m), p);
        return {};
      }),
      route(IdentityCommands.checkSession, (p) => auth.checkSession(p)),
      route(IdentityCommands.verifyEmail, async (p) => {
        await emailTokens.verifyEmail(p);
        return {};
      }),
      route(IdentityCommands.forgotPassword, (p) => emailTokens.forgotPassword(p)),
      route(IdentityCommands.resetPassword, (p) => emailTokens.resetPassword(p)),
      route(IdentityCommands.changePassword, async (p, m) => {
        await passwords.change(requireActor(m), p);
        return {};
      }),
      route(IdentityCommands.reauthenticate, (p, m) => passwords.reauthenticate(requireActor(m), p)),
      route(IdentityCommands.mfaStatus, (_p, m) => mfa.status(requireActor(m))),
      route(IdentityCommands.mfaEnrolTotp, (p, m) => mfa.enrol(requireActor(m), p)),
      route(IdentityCommands.mfaConfirmTotp, (p, m) => mfa.confirm(requireActor(m), p)),
      route(IdentityCommands.mfaDisableTotp, async (p, m) => {
        await mfa.disable(requireActor(m), p);
        return {};
      }),
      route(IdentityCommands.mfaRegenerateRecoveryCodes, (p, m) => mfa.regenerateRecoveryCodes(requireActor(m), p)),
      route(IdentityCommands.getMe, (_p, m) => auth.me(requireActor(m).userId)),
      route(IdentityCommands.updateProfile, (p, m) => profile.update(requireActor(m), p)),
      route(IdentityCommands.listSessions, (p, m) => sessions.list(requireActor(m), p)),
      route(IdentityCommands.revokeSession, async (p, m) => {
        await sessions.revoke(requireActor(m), p);
        return {};
      }),
      route(IdentityCommands.createApiKey, (p, m) => apiKeys.create(requireActor(m), p, m.idempotencyKey)),
      route(IdentityCommands.listApiKeys, (p, m) => apiKeys.list(requireActor(m), p)),
      route(IdentityCommands.revokeApiKey, async (p, m) => {
        await apiKeys.revoke(requireActor(m), p);
        return {};
      }),
      route(IdentityCommands.resolveApiKey, (p) => apiKeys.resolve(p)),
      route(IdentityCommands.adminListUsers, (p, m) => {
        requireRole(requireActor(m), ...ADMIN_READ_ROLES);
        return admin.list(p);
      }),
      route(IdentityCommands.adminGetUser, (p, m) => admin.get(requireRole(requireActor(m), ...ADMIN_READ_ROLES), p.userId)),
      route(IdentityCommands.adminSetStatus, (p, m) => admin.setStatus(requireAdmin(m), p)),
      route(IdentityCommands.adminSetRoles, (p, m) => admin.setRoles(requireAdmin(m), p)),
    ];
    const logger = new Logger('IdentityCommands');
    // identity.commands still answers every command (a gateway from before the split keeps working).
    this.router = new CommandRouter('identity', routes, logger);
    // The commands that check or hash a password (their contracts name identity.credentials) have a consumer of their own, gated.
    const gated = routes
      .filter((r) => r.contract.topic === Topics.identityCredentials)
      .map((r): CommandRoute => ({ contract: r.contract, handler: (p, m) => gate.run(() => r.handler(p, m)) }));
    this.credentials = new CommandRouter('identity', gated, logger);
  }

  @MessagePattern(Topics.identityCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }

  @MessagePattern(Topics.identityCredentials)
  handleCredentials(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.credentials.dispatch(message, context.getMessage().headers);
  }
}
