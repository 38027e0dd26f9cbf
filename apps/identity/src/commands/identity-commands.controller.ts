import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { ADMIN_READ_ROLES, CommandMessage, CommandReply, IdentityCommands, requireRole, Topics } from '@tally/contracts';
import { CommandRouter, requireActor } from '@tally/messaging';
import { AdminUsersService } from '../admin-users/admin-users.service';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuthService } from '../auth/auth.service';
import { EmailTokensService } from '../email-tokens/email-tokens.service';
import { SessionsService } from '../sessions/sessions.service';

/** The gateway checks the admin role too; identity checks it again so no other caller skips it. */
function requireAdmin(message: CommandMessage) {
  return requireRole(requireActor(message), 'admin');
}

@Controller()
export class IdentityCommandsController {
  private readonly router: CommandRouter;

  constructor(auth: AuthService, sessions: SessionsService, apiKeys: ApiKeysService, emailTokens: EmailTokensService, admin: AdminUsersService) {
    this.router = new CommandRouter(
      'identity',
      {
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
        [IdentityCommands.resetPassword]: async (p) => {
          await emailTokens.resetPassword(p);
          return {};
        },
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
        [IdentityCommands.adminSetStatus]: (p, m) => admin.setStatus(requireAdmin(m), p),
        [IdentityCommands.adminSetRoles]: (p, m) => admin.setRoles(requireAdmin(m), p),
      },
      new Logger('IdentityCommands'),
    );
  }

  @MessagePattern(Topics.identityCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}
