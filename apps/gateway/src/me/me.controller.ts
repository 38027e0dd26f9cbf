import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { Actor, ApiKeyView, CreatedApiKey, IdentityCommands, Page, SessionView, UserView } from '@tally/contracts';
import { AnswerHoldsSecret } from '../idempotency/idempotency.interceptor';
import { origin } from '../auth/auth.controller';
import { CurrentActor, IdempotencyKey, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { PrincipalResolver } from '../auth/principal-resolver';
import { CommandClient } from '../commands/command-client';
import { ApiKeysQueryDto, CreateApiKeyDto, SessionsQueryDto, UpdateProfileDto } from './me.dto';
import { ChangePasswordDto } from '../auth/auth.dto';
import { CredentialRateLimited } from '../rate-limit/credential-rate-limit.guard';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

/** The caller's devices (sessions) and API keys; someone else's answers 404. */
@Controller('v1/me')
@UseGuards(JwtAuthGuard)
export class MeController {
  constructor(
    private readonly commands: CommandClient,
    private readonly principals: PrincipalResolver,
  ) {}

  /** api-v1 v1.1: name, contact and display settings; answers the user as GET /v1/me does. */
  @Patch()
  @ApiAnswer(200, 'User')
  updateProfile(@CurrentActor() actor: Actor, @Body() body: UpdateProfileDto, @Req() req: Request): Promise<UserView> {
    return this.commands.send(IdentityCommands.updateProfile, { ...body, ...origin(req) }, { actor });
  }

  /**
   * api-v1 v1.1: the current password, then the new one; every other session of the account ends
   * (this one stays), and its API keys unless keepApiKeys.
   */
  @Post('password')
  @HttpCode(204)
  @CredentialRateLimited('actor')
  async changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto, @Req() req: Request): Promise<void> {
    await this.commands.send(IdentityCommands.changePassword, { ...body, ...origin(req) }, { actor });
    // Ended sessions and revoked keys stop working on this gateway now, on the others within AUTH_CACHE_MS.
    this.principals.forgetUser(actor.userId);
  }

  @Get('sessions')
  @ApiAnswer(200, 'SessionList')
  sessions(@CurrentActor() actor: Actor, @Query() query: SessionsQueryDto): Promise<Page<SessionView>> {
    return this.commands.send(IdentityCommands.listSessions, query, { actor });
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  async revokeSession(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string, @Req() req: Request): Promise<void> {
    await this.commands.send(IdentityCommands.revokeSession, { sessionId: id, ...origin(req) }, { actor });
    this.principals.forgetSession(id);
  }

  /**
   * 201; the answer's `key` is the only time the secret is shown. Identity stores only its hash, so
   * a replay with the same Idempotency-Key answers the same key without `key`.
   */
  @Post('api-keys')
  @HttpCode(201)
  @AnswerHoldsSecret()
  @ApiAnswer(201, 'CreatedApiKey')
  createApiKey(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Body() body: CreateApiKeyDto,
    @Req() req: Request,
  ): Promise<CreatedApiKey | ApiKeyView> {
    return this.commands.send(IdentityCommands.createApiKey, { ...body, ...origin(req) }, { actor, idempotencyKey });
  }

  @Get('api-keys')
  @ApiAnswer(200, 'ApiKeyList')
  apiKeys(@CurrentActor() actor: Actor, @Query() query: ApiKeysQueryDto): Promise<Page<ApiKeyView>> {
    return this.commands.send(IdentityCommands.listApiKeys, query, { actor });
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  async revokeApiKey(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string, @Req() req: Request): Promise<void> {
    await this.commands.send(IdentityCommands.revokeApiKey, { apiKeyId: id, ...origin(req) }, { actor });
    this.principals.forgetApiKey(id);
  }
}
