import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { ADMIN_READ_ROLES, CommandMessage, CommandReply, IdentityCommands, requireRole, Topics } from '@tally/contracts';
import { CommandHandler, CommandRouter, requireActor } from '@tally/messaging';
import { AdminUsersService } from '../admin-users/admin-users.service';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuthService } from '../auth/auth.service';
import { CREDENTIAL_COMMAND_GATE } from '../passwords/credential-command-gate';
import { HashingPool } from '../passwords/hashing-pool';
import { EmailTokensService } from '../email-tokens/email-tokens.service';
import { MfaService } from '../mfa/mfa.service';
import { PasswordsService } from '../passwords/passwords.service';
import { SessionsService } from '../sessions/sessions.service';

/** The gateway checks the admin role too; identity checks it again so no other caller skips it. */
function requireAdmin(message: CommandMessage) {
  return requireRole(requireActor(message), 'admin');
}

/** The commands that check or hash a password: they have a topic and a consumer of their own (identity.credentials). */
const CREDENTIAL_COMMANDS: readonly string[] = [
  IdentityCommands.register,
  IdentityCommands.login,
  IdentityCommands.resetPassword,
  IdentityCommands.changePassword,
  IdentityCommands.reauthenticate,
];

@Controller()
export class IdentityCommandsController {
  private readonly router: CommandRouter;
  private readonly credentials: CommandRouter;

  constructor(
    auth: AuthService,
    sessions: SessionsService,
    apiKeys: ApiKeysService,
    emailTokens: EmailTokensService,
    admin: AdminUsersService,
    passwords: PasswordsService,
    mfa: MfaService,
    @Inject(CREDENTIAL_COMMAND_GATE) gate: HashingPool,
  ) {
    const handlers: Record<string, CommandHandler> = {
      [IdentityCommands.register]: (p) => auth.register(p),
      [IdentityCommands.login]: (p) => auth.login(p),
      [IdentityCommands.refresh]: (p) => auth.refresh(p),
      [IdentityCommands.logout]: async (p, m) => {
        await auth.logout(requireActor(m), p);
        return {};
      },
      [IdentityCommands.checkSession]: (p) => auth.checkSession(p),
      [IdentityCommands.verifyEmail]: async (p) => {
        await emailTokens.verifyEmail(p);
        return {};
      },
      [IdentityCommands.forgotPassword]: (p) => emailTokens.forgotPassword(p),
      [IdentityCommands.resetPassword]: (p) => emailTokens.resetPassword(p),
      [IdentityCommands.changePassword]: async (p, m) => {
        await passwords.change(requireActor(m), p);
        return {};
      },
      [IdentityCommands.reauthenticate]: (p, m) => passwords.reauthenticate(requireActor(m), p),
      [IdentityCommands.mfaStatus]: (_p, m) => mfa.status(requireActor(m)),
      [IdentityCommands.mfaEnrolTotp]: (p, m) => mfa.enrol(requireActor(m), p),
      [IdentityCommands.mfaConfirmTotp]: (p, m) => mfa.confirm(requireActor(m), p),
      [IdentityCommands.mfaDisableTotp]: async (p, m) => {
        await mfa.disable(requireActor(m), p);
        return {};
      },
      [IdentityCommands.mfaRegenerateRecoveryCodes]: (p, m) => mfa.regenerateRecoveryCodes(requireActor(m), p),
      [IdentityCommands.getMe]: (_p, m) => auth.me(requireActor(m).userId),
      [IdentityCommands.listSessions]: (p, m) => sessions.list(requireActor(m), p),
      [IdentityCommands.revokeSession]: async (p, m) => {
        await sessions.revoke(requireActor(m), p);
        return {};
      },
      [IdentityCommands.createApiKey]: (p, m) => apiKeys.create(requireActor(m), p, m.idempotencyKey),
      [IdentityCommands.listApiKeys]: (p, m) => apiKeys.list(requireActor(m), p),
      [IdentityCommands.revokeApiKey]: async (p, m) => {
        await apiKeys.revoke(requireActor(m), p);
        return {};
      },
      [IdentityCommands.resolveApiKey]: (p) => apiKeys.resolve(p),
      [IdentityCommands.adminListUsers]: (p, m) => {
        requireRole(requireActor(m), ...ADMIN_READ_ROLES);
        return admin.list(p);
      },
      [IdentityCommands.adminGetUser]: (p, m) => admin.get(requireRole(requireActor(m), ...ADMIN_READ_ROLES), p.userId),
      [IdentityCommands.adminSetStatus]: (p, m) => admin.setStatus(requireAdmin(m), p),
      [IdentityCommands.adminSetRoles]: (p, m) => admin.setRoles(requireAdmin(m), p),
    };
    const logger = new Logger('IdentityCommands');
    // identity.commands still answers every command (a gateway from before the split keeps working).
    this.router = new CommandRouter('identity', handlers, logger);
    const gated = CREDENTIAL_COMMANDS.map((type): [string, CommandHandler] => [type, (p, m) => gate.run(() => handlers[type](p, m))]);
    this.credentials = new CommandRouter('identity', Object.fromEntries(gated), logger);
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
