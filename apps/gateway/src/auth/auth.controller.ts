import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, IdentityCommands, LoginResult, Topics, UserView } from '@tally/contracts';
import { CommandClient } from '../commands/command-client';
import { LoginDto, RegisterDto } from './auth.dto';
import { CurrentActor, JwtAuthGuard } from './jwt-auth.guard';
import { ApiAnswer } from '../openapi/openapi';

@ApiTags('identity')
@Controller('v1')
export class AuthController {
  constructor(private readonly commands: CommandClient) {}

  @Post('auth/register')
  @ApiAnswer(201, 'User')
  @HttpCode(201)
  register(@Body() body: RegisterDto): Promise<UserView> {
    return this.commands.send(Topics.identityCommands, IdentityCommands.register, body, { key: body.email.toLowerCase() });
  }

  @Post('auth/login')
  @ApiAnswer(200, 'LoginResult')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Req() req: Request): Promise<LoginResult> {
    const payload = { ...body, ip: req.ip, userAgent: req.header('user-agent') };
    return this.commands.send(Topics.identityCommands, IdentityCommands.login, payload, { key: body.email ?? body.username });
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth('bearer')
  @ApiAnswer(200, 'User')
  me(@CurrentActor() actor: Actor): Promise<UserView> {
    return this.commands.send(Topics.identityCommands, IdentityCommands.getMe, {}, { actor });
  }
}
