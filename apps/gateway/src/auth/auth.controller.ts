import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { tokenDigest } from '@tally/auth';
import { Actor, IdentityCommands, LoginResult, RequestOrigin, UserView } from '@tally/contracts';
import { CommandClient } from '../commands/command-client';
import { ForgotPasswordDto, LoginDto, RefreshDto, RegisterDto, ResetPasswordDto, TokenDto } from './auth.dto';
import { CurrentActor, IdempotentWhenKeyed, JwtAuthGuard } from './jwt-auth.guard';
import { ApiAnswer } from '../openapi/openapi';
import { PrincipalResolver } from './principal-resolver';
import { CredentialRateLimited } from '../rate-limit/credential-rate-limit.guard';

/** The caller's address and user agent, for identity's security audit trail. */
export function origin(req: Request): RequestOrigin {
  return { ip: req.ip, userAgent: req.header('user-agent') };
}

@ApiTags('identity')
@Controller('v1')
export class AuthController {
  constructor(
    private readonly commands: CommandClient,
    private readonly principals: PrincipalResolver,
  ) {}

  @Post('auth/register')
  @ApiAnswer(201, 'User')
  @HttpCode(201)
  @IdempotentWhenKeyed()
  @CredentialRateLimited('body')
  register(@Body() body: RegisterDto, @Req() req: Request): Promise<UserView> {
    return this.commands.send(IdentityCommands.register, { ...body, ...origin(req) }, { key: body.email.toLowerCase() });
  }

  @Post('auth/login')
  @ApiAnswer(200, 'LoginResult')
  @HttpCode(200)
  @CredentialRateLimited('body')
  login(@Body() body: LoginDto, @Req() req: Request): Promise<LoginResult> {
    return this.commands.send(IdentityCommands.login, { ...body, ...origin(req) }, { key: body.email ?? body.username });
  }

  /** A new access and refresh token; the refresh token sent is spent (sending it again revokes the session). */
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiAnswer(200, 'LoginResult')
  refresh(@Body() body: RefreshDto, @Req() req: Request): Promise<LoginResult> {
    return this.commands.send(IdentityCommands.refresh, { ...body, ...origin(req) });
  }

  @Post('auth/logout')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  async logout(@CurrentActor() actor: Actor, @Req() req: Request): Promise<void> {
    await this.commands.send(IdentityCommands.logout, origin(req), { actor });
    if (actor.sessionId) this.principals.forgetSession(actor.sessionId);
  }

  @Post('auth/verify-email')
  @HttpCode(204)
  async verifyEmail(@Body() body: TokenDto, @Req() req: Request): Promise<void> {
    // The token's digest, not the token: the bearer secret never rides the bus.
    await this.commands.send(IdentityCommands.verifyEmail, { tokenHash: tokenDigest(body.token), ...origin(req) });
  }

  /** 202 with the same body whether or not the email has an account. */
  @Post('auth/forgot-password')
  @HttpCode(202)
  @ApiAnswer(202, 'Accepted')
  @CredentialRateLimited('body')
  forgotPassword(@Body() body: ForgotPasswordDto, @Req() req: Request): Promise<{ message: string }> {
    return this.commands.send(IdentityCommands.forgotPassword, { ...body, ...origin(req) }, { key: body.email.toLowerCase() });
  }

  /** Sets the new password and revokes every session of the account, and its API keys unless keepApiKeys. */
  @Post('auth/reset-password')
  @HttpCode(204)
  @CredentialRateLimited('none')
  async resetPassword(@Body() body: ResetPasswordDto, @Req() req: Request): Promise<void> {
    const { token, ...rest } = body;
    const payload = { ...rest, tokenHash: tokenDigest(token), ...origin(req) };
    const reset = await this.commands.send(IdentityCommands.resetPassword, payload);
    // Its sessions and keys stop working on this gateway now, on the others within AUTH_CACHE_MS.
    this.principals.forgetUser(reset.userId);
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth('bearer')
  @ApiAnswer(200, 'User')
  me(@CurrentActor() actor: Actor): Promise<UserView> {
    return this.commands.send(IdentityCommands.getMe, {}, { actor });
  }
}
