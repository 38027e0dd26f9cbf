import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, LedgerCommands, WalletView } from '@tally/contracts';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { RequireRoles, RolesGuard } from '../auth/roles.guard';
import { CommandClient } from '../commands/command-client';
import { ApiAnswer } from '../openapi/openapi';
import { UnlockPinDto } from './admin-wallets.dto';
import { PathIdPipe } from '../http/path-id.pipe';

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Controller('v1/admin/wallets')
@UseGuards(JwtAuthGuard, RolesGuard)
@RequireRoles('admin')
export class AdminWalletsController {
  constructor(private readonly commands: CommandClient) {}

  /** Ends a wallet's PIN lock (the misses start again from zero), with a reason; audited as wallet.pin_unlocked. */
  @Post(':id/unlock-pin')
  @HttpCode(200)
  @ApiAnswer(200, 'Wallet', 'The wallet, its PIN unlocked')
  unlockPin(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string, @Body() body: UnlockPinDto): Promise<WalletView> {
    return this.commands.send(LedgerCommands.unlockPin, { walletId: id, reason: body.reason }, { actor, key: id });
  }
}
