import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { IsObject, IsOptional } from 'class-validator';
import { Actor, NotificationPreferencesView, NotificationSettingsCommands } from '@tally/contracts';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { ApiAnswer } from '../openapi/openapi';

/** The maps' keys (event types, wallet ids) and values are checked by notification against its known lists. */
export class PutNotificationPreferencesDto {
  @IsOptional()
  @IsObject()
  events?: Record<string, Record<string, boolean>>;

  @IsOptional()
  @IsObject()
  thresholds?: { lowBalance?: Record<string, string | number> };
}

@Controller('v1/me/notification-preferences')
@UseGuards(JwtAuthGuard)
export class NotificationPreferencesController {
  constructor(private readonly commands: CommandClient) {}

  @Get()
  @ApiAnswer(200, 'NotificationPreferences')
  get(@CurrentActor() actor: Actor): Promise<NotificationPreferencesView> {
    return this.commands.send(NotificationSettingsCommands.getPreferences, {}, { actor });
  }

  @Put()
  @ApiAnswer(200, 'NotificationPreferences')
  put(@CurrentActor() actor: Actor, @Body() body: PutNotificationPreferencesDto): Promise<NotificationPreferencesView> {
    return this.commands.send(NotificationSettingsCommands.putPreferences, body, { actor });
  }
}
