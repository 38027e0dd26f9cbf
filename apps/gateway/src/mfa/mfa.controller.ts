import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, IdentityCommands, MfaStatusView, RecoveryCodes, TotpEnrolment } from '@tally/contracts';
import { origin } from '../auth/auth.controller';
import { SecondFactorCodeDto } from '../auth/auth.dto';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { ApiAnswer } from '../openapi/openapi';

/**
 * The caller's second factor (TOTP, RFC 6238, with recovery codes). Admin and auditor powers need a
 * session opened with it: enrol, confirm with a first code, then sign in with `totpCode`.
 */
@ApiTags('identity')
@ApiBearerAuth('bearer')
@Controller('v1/me/mfa')
@UseGuards(JwtAuthGuard)
export class MfaController {
  constructor(private readonly commands: CommandClient) {}

  @Get()
  @ApiAnswer(200, 'MfaStatus')
  status(@CurrentActor() actor: Actor): Promise<MfaStatusView> {
    return this.commands.send(IdentityCommands.mfaStatus, {}, { actor });
  }

  /**
   * A new seed, shown this once (also as an otpauth:// URI); TOTP is on only once a code confirms it.
   * 200, not 201: it creates nothing a replay could answer again (a repeat starts over with a new seed).
   */
  @Post('totp')
  @HttpCode(200)
  @ApiAnswer(200, 'TotpEnrolment')
  enrol(@CurrentActor() actor: Actor, @Req() req: Request): Promise<TotpEnrolment> {
    return this.commands.send(IdentityCommands.mfaEnrolTotp, origin(req), { actor });
  }

  /** The first code from the authenticator; answers the ten recovery codes, this once. */
  @Post('totp/confirm')
  @HttpCode(200)
  @ApiAnswer(200, 'RecoveryCodes')
  confirm(@CurrentActor() actor: Actor, @Body() body: SecondFactorCodeDto, @Req() req: Request): Promise<RecoveryCodes> {
    return this.commands.send(IdentityCommands.mfaConfirmTotp, { ...body, ...origin(req) }, { actor });
  }

  /** Turns TOTP off with a current code or a recovery code. */
  @Post('totp/disable')
  @HttpCode(204)
  async disable(@CurrentActor() actor: Actor, @Body() body: SecondFactorCodeDto, @Req() req: Request): Promise<void> {
    await this.commands.send(IdentityCommands.mfaDisableTotp, { ...body, ...origin(req) }, { actor });
  }

  /** New recovery codes (the old ones stop working), with a current code. */
  @Post('recovery-codes')
  @HttpCode(200)
  @ApiAnswer(200, 'RecoveryCodes')
  regenerate(@CurrentActor() actor: Actor, @Body() body: SecondFactorCodeDto, @Req() req: Request): Promise<RecoveryCodes> {
    return this.commands.send(IdentityCommands.mfaRegenerateRecoveryCodes, { ...body, ...origin(req) }, { actor });
  }
}
