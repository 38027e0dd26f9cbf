import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { CommandMessage, CommandReply, IdentityCommands, Topics } from '@tally/contracts';
import { CommandRouter, requireActor } from '@tally/messaging';
import { AuthService } from '../auth/auth.service';

@Controller()
export class IdentityCommandsController {
  private readonly router: CommandRouter;

  constructor(auth: AuthService) {
    this.router = new CommandRouter(
      'identity',
      {
        [IdentityCommands.register]: (payload) => auth.register(payload),
        [IdentityCommands.login]: (payload) => auth.login(payload),
        [IdentityCommands.getMe]: (_payload, message) => auth.me(requireActor(message).userId),
      },
      new Logger('IdentityCommands'),
    );
  }

  @MessagePattern(Topics.identityCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}
